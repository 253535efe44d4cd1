import type { LedgerStore } from './ports';

/** How many of the newest ledger entries a new rollout checks for ones left open. */
const ABANDONED_LOOKBACK = 10;

/**
 * Close the entries other rollouts left open: they ended without recording an outcome.
 * Only the lock's holder calls this, so none of them can still be running; and since nothing
 * records a start while the fleet is locked, an abandoned entry is among the newest. The one
 * that made the current release (`releasedBy`, from the fleet record) ended after promoting:
 * its release stands, so it is closed SUCCEEDED, saying what did not run.
 * Returns the executions whose entries were closed.
 */
export async function closeAbandoned(
  store: LedgerStore,
  owner: string,
  now: Date,
  releasedBy?: string,
): Promise<string[]> {
  const open = (await store.history(ABANDONED_LOOKBACK)).filter(
    (e) => e.status === 'IN_PROGRESS' && e.execution !== owner,
  );
  const closed: string[] = [];
  for (const entry of open) {
    const released = entry.execution === releasedBy;
    const closedBy = `closed by ${owner} at ${now.toISOString()}`;
    const cause = released
      ? `released ${entry.toImage ?? 'its image'}, then ended without recording its outcome ` +
        `(stopped, timed out, or its last steps failed): the release stands, but its image ` +
        `tags and notification may be missing; ${closedBy}`
      : `ended without recording an outcome (stopped, timed out, or its last steps failed); ${closedBy}`;
    // An entry closed meanwhile by its own late finish is left as it is.
    if (await store.closeOpen(entry, released ? 'SUCCEEDED' : 'ABANDONED', cause))
      closed.push(entry.execution);
  }
  return closed;
}
