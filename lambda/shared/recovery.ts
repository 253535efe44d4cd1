/**
 * The lock janitor's automatic restores (lambda/triggers/abandoned-lock.ts): at most this many
 * per hour and environment; then it refuses, and an alarm calls a person. A restore that fails
 * ends FAILED in turn and comes back to the janitor: the bound is what stops that loop (while
 * Lambda is down, for instance), and three tries over an hour are enough for an outage of a
 * few minutes.
 */
export const AUTOMATIC_RESTORES_PER_HOUR = 3;
