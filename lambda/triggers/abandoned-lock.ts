import * as z from 'zod/mini';
import type { LedgerStore, RecoveryBudget } from '../ledger/ports';
import { parseEvent } from '../shared/parse-event';
import { AUTOMATIC_RESTORES_PER_HOUR } from '../shared/recovery';
import type { Executions } from './ports';

/**
 * "Step Functions Execution Status Change" for an execution that ended without running its
 * own cleanup (stopped, timed out) or failed, perhaps before its cleanup could finish.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/eventbridge-integration.html
 */
export const executionStatusChangeSchema = z.object({
  source: z.literal('aws.states'),
  'detail-type': z.literal('Step Functions Execution Status Change'),
  detail: z.object({
    executionArn: z.string(),
    status: z.string(),
    stateMachineArn: z.string(),
    /** The execution's error when it failed (null otherwise). */
    error: z.optional(z.nullable(z.string())),
  }),
});

const ENDED = new Set(['ABORTED', 'TIMED_OUT', 'FAILED']);

/**
 * Errors an execution fails with when it was refused before it ever took the lock (Reject Input,
 * Refuse Concurrent Rollout): it held nothing and changed nothing, so the janitor makes no call.
 */
const REFUSED_BEFORE_THE_LOCK = new Set(['InvalidInput', 'RolloutInProgress']);

const HOUR_SECONDS = 3600;

/** The newest ledger entries the ended execution's is looked for among (rollouts never overlap). */
const LEDGER_LOOKBACK = 10;

export interface JanitorDeps {
  readonly store: Pick<LedgerStore, 'release' | 'holder' | 'history' | 'fleet' | 'countRecovery'>;
  /** Executions of the rollout state machine, to start the restore. */
  readonly executions: Executions;
  readonly now: Date;
}

/** What the janitor did about the fleet after the execution ended. */
export type RestoreDecision =
  | { readonly started: true; readonly reason: string; readonly execution: string }
  | { readonly started: false; readonly reason: string; readonly refused?: RecoveryBudget };

export type JanitorResult = {
  readonly released: boolean;
  readonly execution: string;
  readonly status: string;
  readonly restore?: RestoreDecision;
};

/**
 * An execution ended FAILED, ABORTED or TIMED_OUT: free the fleet lock it may still hold, then,
 * if it left the fleet short of its safe state, start `{"action":"restore"}`: the first step of
 * every rollout, which puts traffic on the live colour and the idle colour at rest. The restore
 * is named after the ended execution, so a second delivery of the same event starts nothing
 * new; and at most AUTOMATIC_RESTORES_PER_HOUR start in an hour (counted in the ledger table).
 */
export async function releaseAbandonedLock(event: unknown, d: JanitorDeps): Promise<JanitorResult> {
  const e = parseEvent(executionStatusChangeSchema, event, 'Step Functions execution status change');
  const { executionArn, status, error } = e.detail;
  if (!ENDED.has(status)) return { released: false, execution: executionArn, status };
  if (error && REFUSED_BEFORE_THE_LOCK.has(error))
    return {
      released: false,
      execution: executionArn,
      status,
      restore: { started: false, reason: `it was refused (${error}) before it took the lock` },
    };
  const released = await d.store.release(executionArn);
  return {
    released,
    execution: executionArn,
    status,
    restore: await restoreIfUnsafe(executionArn, status, d),
  };
}

async function restoreIfUnsafe(execution: string, status: string, d: JanitorDeps): Promise<RestoreDecision> {
  const why = await unsafeBecause(execution, d);
  if (!why) return { started: false, reason: 'the fleet was left in its safe state' };
  const budget = await d.store.countRecovery(execution, d.now, HOUR_SECONDS, AUTOMATIC_RESTORES_PER_HOUR);
  if (!budget.allowed)
    return {
      started: false,
      reason: `${why}, but ${budget.recent} automatic restores started in the last hour already: a person must look`,
      refused: budget,
    };
  const name = restoreName(execution);
  try {
    const started = await d.executions.start(name, {
      action: 'restore',
      trigger: 'recovery',
      reason: `automatic restore: ${executionName(execution)} ended ${status}; ${why}`.slice(0, 500),
    });
    return { started: true, reason: why, execution: started };
  } catch (err) {
    // Started by an earlier delivery of the same event (and perhaps finished since).
    if (err instanceof Error && err.name === 'ExecutionAlreadyExists')
      return { started: false, reason: `${why}; ${name} was started already` };
    throw err;
  }
}

/**
 * Why the fleet may be short of its safe state, from the ledger and the fleet record; undefined
 * when it is not, or when another execution holds the fleet (its first step restores it). The
 * ledger tells it with nobody holding the lock: a rollout that never recorded its outcome
 * (stopped, timed out, or its last steps failed), or whose way back failed, however the
 * execution that just ended is related to it (a restore that failed before it took the lock
 * leaves the entry it came for open, and is followed by another, within the hourly bound).
 * Rollouts never overlap, so what is left open is among the newest entries.
 */
async function unsafeBecause(execution: string, d: JanitorDeps): Promise<string | undefined> {
  const holder = await d.store.holder();
  if (holder && holder.expiresAt * 1000 > d.now.getTime()) return undefined;
  const entries = await d.store.history(LEDGER_LOOKBACK);
  const open = entries.find((x) => x.status === 'IN_PROGRESS');
  if (open) return `${open.executionName} ended without recording its outcome`;
  if (entries[0]?.compensation === 'FAILED')
    return `returning traffic to the last good fleet failed in ${entries[0].executionName}`;
  // Its release's retirement failed: nobody else will scale the old colour down.
  const fleet = await d.store.fleet();
  const warm = fleet?.releasedBy === execution ? fleet.warm : undefined;
  if (warm && Date.parse(warm.until) <= d.now.getTime())
    return `${warm.colour} is still up, past the ${warm.until} it was kept warm until`;
  return undefined;
}

/** The execution's name: the last part of its ARN. */
const executionName = (arn: string) => arn.slice(arn.lastIndexOf(':') + 1);

/**
 * The restore's name, from the ended execution's: one restore per ended execution. Names are at
 * most 80 characters; a long one keeps its start and a hash of the whole.
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html
 */
export function restoreName(endedArn: string): string {
  const name = `restore-after-${executionName(endedArn)}`;
  return name.length <= 80 ? name : `${name.slice(0, 71)}-${fnv1a(endedArn)}`;
}

/** A stable 8-hex-digit hash (FNV-1a). */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}
