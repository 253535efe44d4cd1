import type * as z from 'zod/mini';
import { MalformedEvent } from './errors';

/**
 * Parse an event that crossed a trust boundary (a rule delivered it, maybe from another
 * account). A malformed one fails the invocation with MalformedEvent naming each wrong field,
 * so Lambda's retries end it in the dead-letter queue, readable there, with nothing done.
 */
export function parseEvent<T extends z.ZodMiniType>(schema: T, event: unknown, what: string): z.infer<T> {
  const parsed = schema.safeParse(event);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(
    (i) => `${i.path.map(String).join('.') || 'the event'}: ${i.message}`,
  );
  throw new MalformedEvent(`not a valid ${what} event, nothing done: ${problems.join('; ')}`);
}
