type Place = string;
import type { Delivery } from '../engine/bus';
import type { Execution } from '../engine/step-functions';

/** One line of a train's story: when, where, what. */
export interface TrainLogEntry {
  /** Simulated seconds since the train began. */
  readonly t: number;
  readonly place: Place;
  readonly text: string;
}

/** What a rule's invocation of a function came to, in a few words. */
export function describeDelivery(d: Delivery): string {
  const what = `${d.handler} ← ${d.event['detail-type']}`;
  if (!d.outcome.ok)
    return d.deadLettered
      ? `${what}: ${d.outcome.error}; retries spent, the event went to ${shortName(d.deadLettered)}`
      : `${what}: ${d.outcome.error}; Lambda retries it`;
  return `${what}: ${describeResult(d.outcome.result)}`;
}

/** A handler's result as a person reads it. */
function describeResult(result: unknown): string {
  if (typeof result !== 'object' || result === null) return String(result);
  const r = result as Record<string, unknown>;
  if (r.started === true) return `started ${shortName(String(r.executionArn))}`;
  if (r.promotion === true)
    return `promotion ${shortName(String(r.executionArn))} started, soaking until ${String(r.soakUntil)}`;
  if (r.announced === true) return 'announced to every environment';
  if (Array.isArray(r.kept))
    return `kept ${r.kept.join(', ')} out of the lifecycle policy for ${String(r.environment)}'s rollbacks`;
  if (typeof r.reason === 'string') return r.reason;
  if (typeof r.released === 'boolean')
    return r.released ? 'released the abandoned lock' : 'no lock to release';
  return JSON.stringify(result).slice(0, 120);
}

/** An execution's start or end, as the log tells it. */
export function describeExecution(x: Execution): string {
  const input = x.input as { action?: string; trigger?: string; imageId?: string } | undefined;
  const what =
    x.kind === 'promotion'
      ? `promotion ${x.name}`
      : `${input?.action ?? 'rollout'}${input?.imageId ? ` of ${input.imageId}` : ''} (${input?.trigger ?? 'console'}) ${x.name}`;
  if (x.status === 'RUNNING') return `${what} started`;
  return `${what} ${x.status}${x.error ? `: ${x.error}${x.cause ? ` — ${x.cause}` : ''}` : ''}`;
}

/** The last part of an ARN or URL: enough to recognise it. */
export const shortName = (arn: string) => arn.split(/[:/]/).pop() ?? arn;
