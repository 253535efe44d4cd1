import type { z } from 'zod';
import { InvalidInput } from '../shared/errors';
import { INPUT_FIELDS, rolloutInputSchema } from '../shared/input-schema';
import type { ExecutionRef, RolloutRequest } from '../shared/documents';
import type { StepSettings } from '../shared/step-settings';

/** What Validate Input receives: the execution's raw input, not yet trusted. */
export interface ValidateInputEvent {
  readonly input: unknown;
  readonly settings: StepSettings<'validate-input'>;
  readonly execution: ExecutionRef;
}

const MAX_ECHO = 64;
/**
 * Unknown fields named one by one, at most; the rest are counted. The cause must stay readable,
 * and within the 32,768 characters Step Functions carries however many fields an input has.
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_ExecutionFailedEventDetails.html
 */
const MAX_NAMED_UNKNOWN = 10;

/**
 * Turn an execution input into a request, or throw `InvalidInput` whose message names every
 * offending field, the value received and what would be accepted.
 */
export function validateRequest(input: unknown): RolloutRequest {
  const parsed = rolloutInputSchema.safeParse(input);
  if (!parsed.success) {
    throw new InvalidInput(parsed.error.issues.map((issue) => describe(issue, input)).join('; '));
  }
  const v = parsed.data;
  const trigger = v.trigger ?? 'console';
  return {
    action: v.action,
    ...(v.imageId ? { imageId: v.imageId } : {}),
    ...(v.instanceIds ? { instanceIds: v.instanceIds } : {}),
    reason: v.reason ?? defaultReason(v.action, trigger),
    force: v.force ?? false,
    dryRun: v.dryRun ?? false,
    trigger,
  };
}

function defaultReason(action: string, trigger: string): string {
  return trigger === 'console' ? `${action} started from the console` : `${action} started by ${trigger}`;
}

function describe(issue: z.core.$ZodIssue, input: unknown): string {
  if (issue.code === 'unrecognized_keys') {
    const named = issue.keys.slice(0, MAX_NAMED_UNKNOWN).map((k) => `${echo(k)} is not a known field`);
    const more = issue.keys.length - named.length;
    if (more > 0) named.push(`and ${more} more fields are not known either`);
    return `${named.join('; ')} (accepted fields: ${INPUT_FIELDS.join(', ')})`;
  }
  const field = issue.path.length ? issue.path.map(String).join('.') : 'input';
  const value = issue.path.length ? valueAt(input, issue.path) : input;
  return `${field} ${issue.message}, got ${value === undefined ? 'nothing' : echo(value)}`;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let node: unknown = input;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/** Echo what was received, but never a huge string back into logs and causes. */
function echo(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > MAX_ECHO ? `${text.slice(0, MAX_ECHO)}… (${text.length} characters)` : text;
}
