import { RolloutInProgress } from '../shared/errors';
import type { WorkflowSettings } from '../shared/settings';
import type { StepSettings } from '../shared/step-settings';
import type {
  CaughtError,
  ExecutionRef,
  FleetRecord,
  LockGrant,
  Outcome,
  Plan,
  RolloutRequest,
} from '../shared/documents';
import { otherColour } from '../shared/colours';
import type { RestoredFleet } from '../fleet/restore';
// The state machine publishes the subject composed here: the one rule SNS subjects follow.
import { snsSubject } from '../aws/sns';
import { closeAbandoned } from './abandoned';
import type { LedgerStore, RuntimeParameters } from './ports';
import { bootstrapRecord, publishRecord } from './runtime-parameters';

/** The lock, the fleet record and the ledger, as the workflow's steps use them. */
export interface LedgerDeps {
  readonly store: LedgerStore;
  readonly parameters: RuntimeParameters;
  readonly now: Date;
}

interface Base {
  readonly settings: StepSettings<'ledger'>;
  readonly execution: ExecutionRef;
}

/**
 * Take the fleet's lock, then read (or, on the very first run, create) the fleet record. As the
 * lock's holder, close the entries stopped rollouts left open and open this one's: a rollout
 * stopped before it had a plan is in the ledger too, and one refused while planning still
 * closes what came before it.
 */
export async function acquireLock(e: Base & { request: RolloutRequest }, d: LedgerDeps): Promise<LockGrant> {
  const holder = await d.store.acquire(e.execution.id, e.request.action, d.now, e.settings.lockTtlSeconds);
  if (holder) {
    const until = holder.expiresAt ? new Date(holder.expiresAt * 1000).toISOString() : 'unknown';
    throw new RolloutInProgress(
      `fleet ${e.settings.environment} is locked by ${holder.owner} (${holder.action} since ${holder.acquiredAt}, lock expires ${until}); ` +
        'this execution changed nothing. Wait for it to finish, or stop it: its lock is released when it ends.',
    );
  }
  const fleet =
    (await d.store.fleet()) ??
    (await d.store.createFleet(await bootstrapRecord(d.parameters, e.settings.parameters)));
  await closeAbandoned(d.store, e.execution.id, d.now, fleet.releasedBy);
  await d.store.recordStart({
    ...entryOf(e),
    fromImage: fleet.releasedImage,
    ...(e.request.imageId ? { toImage: e.request.imageId } : {}),
  });
  return {
    owner: e.execution.id,
    expiresAt: Math.floor(d.now.getTime() / 1000) + e.settings.lockTtlSeconds,
    fleet,
  };
}

export async function releaseLock(e: Base, d: LedgerDeps): Promise<{ released: boolean }> {
  return { released: await d.store.release(e.execution.id) };
}

/** Add the plan, and the images it names, to the entry the lock step opened. */
export async function recordStart(
  e: Base & { request: RolloutRequest; plan: Plan; fleet: FleetRecord },
  d: LedgerDeps,
): Promise<{ recorded: true }> {
  const images = imagesOf(e.plan, e.fleet);
  await d.store.recordStart({
    ...entryOf(e),
    fromImage: images.from,
    ...(images.to ? { toImage: images.to } : {}),
    plan: JSON.stringify(e.plan),
  });
  return { recorded: true };
}

/**
 * Promote: the plan's target colour becomes live on its image, the previous colour stays
 * warm for the scale-down delay. Idempotent: a retry after a partial success finds its own
 * record in place and only finishes publishing the parameters.
 *
 * A rollback leaves no previous image: the release it left is the one it fled, and a second
 * rollback must not send traffic back to it (a canary of that image still can, deliberately).
 */
export async function recordRelease(
  e: Base & {
    plan: Plan;
    fleet: FleetRecord;
    version?: string;
    request?: Pick<RolloutRequest, 'action' | 'trigger'>;
  },
  d: LedgerDeps,
): Promise<FleetRecord> {
  if (e.plan.kind !== 'canary' && e.plan.kind !== 'flip') {
    throw new Error(`only a canary or a flip releases an image, not a ${e.plan.kind}`);
  }
  const to = e.plan.to;
  const warmSeconds = e.plan.kind === 'canary' && e.plan.initial ? 0 : e.settings.scaleDownDelaySeconds;
  const next: FleetRecord = {
    liveColour: to.colour,
    releasedImage: to.imageId,
    ...(e.request?.action === 'rollback' ? {} : { previousImage: e.fleet.releasedImage }),
    releasedAt: d.now.toISOString(),
    releasedBy: e.execution.id,
    releasedAction: e.request?.action === 'rollback' ? 'rollback' : 'canary',
    ...(e.request?.trigger ? { releasedTrigger: e.request.trigger } : {}),
    versions: { ...e.fleet.versions, ...(e.version ? { [to.colour]: e.version } : {}) },
    ...(warmSeconds > 0
      ? {
          warm: {
            colour: otherColour(to.colour),
            image: e.fleet.releasedImage,
            until: new Date(d.now.getTime() + warmSeconds * 1000).toISOString(),
          },
        }
      : {}),
    generation: e.fleet.generation + 1,
  };
  const stored = await persist(next, e.fleet.generation, d);
  // Record Outcome publishes again and reports a failure; the release itself stands.
  await publishSafely(stored, e.settings, d);
  return stored;
}

/** The entry of a rollout that holds the lock and has not finished. */
function entryOf(e: Base & { request: RolloutRequest }) {
  return {
    execution: e.execution.id,
    executionName: e.execution.name,
    startedAt: e.execution.startedAt,
    action: e.request.action,
    trigger: e.request.trigger,
    reason: e.request.reason,
    status: 'IN_PROGRESS' as const,
  };
}

/** The state document as it reaches the end of any path. */
export interface FinishedDocument {
  readonly request: RolloutRequest;
  readonly plan?: Plan;
  readonly error?: CaughtError;
  /** "Return Traffic To Last Good Fleet" itself failed: traffic may still be on the new image. */
  readonly compensationError?: CaughtError;
  readonly progress?: { readonly version?: string };
  /** The fleet record as the lock step read it. */
  readonly lock?: { readonly fleet: FleetRecord };
  /** What Restore Safe State found, before the plan. */
  readonly restored?: Pick<RestoredFleet, 'liveVersion'>;
}

/**
 * Close the ledger entry, compose the notification, and make the runtime parameters match
 * the fleet record (healing any earlier failure to publish them). A successful rotation also
 * records the live colour's new launch-template version (the image does not change).
 */
export async function recordFinish(
  e: Base & { document: FinishedDocument },
  d: LedgerDeps,
): Promise<{ outcome: Outcome; subject: string; message: string; fleet: FleetRecord }> {
  const { request, plan, error } = e.document;
  const outcome: Outcome = error
    ? 'FAILED'
    : request.dryRun
      ? 'DRY_RUN'
      : plan?.kind === 'skip' && request.action !== 'restore'
        ? 'SKIPPED'
        : 'SUCCEEDED';
  let fleet = await currentFleet(d);
  const refreshVersion = e.document.progress?.version;
  // Once: a retry whose first attempt went through finds the version recorded already.
  if (
    outcome === 'SUCCEEDED' &&
    plan?.kind === 'refresh' &&
    refreshVersion &&
    fleet.versions[plan.colour] !== refreshVersion
  ) {
    fleet = await persist(
      {
        ...fleet,
        versions: { ...fleet.versions, [plan.colour]: refreshVersion },
        generation: fleet.generation + 1,
      },
      fleet.generation,
      d,
    );
  }
  // The version a stopped rotation's refresh left on the live group, unless this rollout has
  // since recorded another one for that colour. Not a release: the generation stays.
  const found = e.document.restored?.liveVersion;
  const before = found && e.document.lock?.fleet.versions[found.colour];
  if (found && before !== undefined && fleet.versions[found.colour] === before && before !== found.version) {
    fleet = await persist(
      { ...fleet, versions: { ...fleet.versions, [found.colour]: found.version } },
      fleet.generation,
      d,
    );
  }
  const images = plan ? imagesOf(plan, fleet) : requestedImages(request, fleet);
  const unrestored = e.document.compensationError;
  const restoreWarning = unrestored
    ? `returning traffic to the last good fleet failed too (${unrestored.Error}: ${describeError(unrestored)}), ` +
      `so traffic may still be on ${images.to ?? 'the idle colour'} although ${fleet.liveColour} on ${fleet.releasedImage} is live`
    : undefined;
  const warnings = [
    ...(restoreWarning
      ? [
          `WARNING: ${restoreWarning}. Start {"action":"restore"} (or any execution ` +
            'other than a dry run): its first step, Restore Safe State, puts the fleet back in its known-good state.',
        ]
      : []),
    // A dry run changes nothing, the runtime parameters included.
    ...(request.dryRun ? [] : await publishSafely(fleet, e.settings, d)),
  ];
  const cause = error ? [describeError(error), restoreWarning].filter(Boolean).join('; ') : undefined;
  await d.store.recordEnd(e.execution.startedAt, e.execution.name, {
    execution: e.execution.id,
    executionName: e.execution.name,
    startedAt: e.execution.startedAt,
    action: request.action,
    trigger: request.trigger,
    reason: request.reason,
    fromImage: images.from,
    status: outcome,
    endedAt: d.now.toISOString(),
    ...(error ? { error: error.Error } : {}),
    ...(cause ? { cause } : {}),
    ...(images.to ? { toImage: images.to } : {}),
    versions: JSON.stringify(fleet.versions),
    // The lock janitor restores the fleet once the execution has ended.
    ...(unrestored ? { compensation: 'FAILED' as const } : {}),
  });
  const seconds = Math.max(0, Math.round((d.now.getTime() - Date.parse(e.execution.startedAt)) / 1000));
  const subject = snsSubject(
    `[${e.settings.environment}] ${request.action} ${outcome}${error ? ` (${error.Error})` : ''}` +
      (unrestored ? ', traffic NOT restored' : ''),
  );
  const lines = [
    `Environment: ${e.settings.environment}`,
    `Action: ${request.action} (trigger: ${request.trigger})`,
    `Reason: ${request.reason}`,
    `Outcome: ${outcome}`,
    `Images: ${images.from}${images.to ? ` -> ${images.to}` : ''}`,
    `Live: ${fleet.liveColour} on ${fleet.releasedImage}`,
    `Duration: ${seconds} s`,
    ...(plan ? [`Plan: ${plan.summary}`] : []),
    ...whatNext(e.settings, fleet, e.execution, d.now),
    ...(error ? [`Error: ${error.Error}`, `Cause: ${cause ?? ''}`] : []),
    ...warnings,
    `Execution: ${e.execution.id}`,
  ];
  return { outcome, subject, message: lines.join('\n'), fleet };
}

async function currentFleet(d: LedgerDeps): Promise<FleetRecord> {
  const fleet = await d.store.fleet();
  if (!fleet)
    throw new Error(
      'the fleet record is missing; the lock step creates it, so the table was changed by hand',
    );
  return fleet;
}

/**
 * The parameters mirror the record; failing to update them must not undo a rollout, but a
 * deploy would then re-assert stale state, so the notification says so loudly. The next
 * execution (a restore is enough) publishes them again.
 */
async function publishSafely(
  fleet: FleetRecord,
  s: Pick<WorkflowSettings, 'parameters'>,
  d: LedgerDeps,
): Promise<string[]> {
  try {
    await publishRecord(d.parameters, s.parameters, fleet);
    return [];
  } catch (err) {
    const why = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    return [
      `WARNING: the runtime parameters could not be updated (${why}). Do not deploy until a later execution ` +
        '(a restore is enough) has updated them, or the deploy would put the fleet back on stale state.',
    ];
  }
}

async function persist(next: FleetRecord, expectedGeneration: number, d: LedgerDeps): Promise<FleetRecord> {
  if (await d.store.replaceFleet(next, expectedGeneration)) return next;
  const current = await d.store.fleet();
  // Our own earlier attempt already wrote it: same generation, same release.
  if (
    current &&
    current.generation === next.generation &&
    current.releasedImage === next.releasedImage &&
    current.liveColour === next.liveColour
  ) {
    return current;
  }
  throw new Error(
    `fleet record changed underneath this rollout (expected generation ${expectedGeneration}, found ${current?.generation ?? 'none'})`,
  );
}

function imagesOf(plan: Plan, fleet: FleetRecord): { from: string; to?: string } {
  switch (plan.kind) {
    case 'canary':
    case 'flip':
      return { from: plan.from.imageId, to: plan.to.imageId };
    case 'refresh':
      return { from: fleet.releasedImage, to: plan.imageId };
    case 'skip':
    case 'replace':
      return { from: fleet.releasedImage };
  }
}

/** Before a plan exists, what was asked for: the live release, and the image a canary named. */
function requestedImages(request: RolloutRequest, fleet: FleetRecord): { from: string; to?: string } {
  return { from: fleet.releasedImage, ...(request.imageId ? { to: request.imageId } : {}) };
}

/**
 * Step Functions hands a Lambda error's Cause over as the JSON the runtime produced
 * ({"errorType","errorMessage","trace"}); other errors carry plain text. Keep the message.
 */
export function describeError(error: CaughtError): string {
  const cause = error.Cause ?? '';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (parsed && typeof parsed.errorMessage === 'string') return parsed.errorMessage;
  } catch {
    // plain text cause
  }
  return cause;
}

/** What the ledger function accepts: one operation per state that uses it. */
export type LedgerEvent =
  | ({ op: 'acquire' } & Parameters<typeof acquireLock>[0])
  | ({ op: 'start' } & Parameters<typeof recordStart>[0])
  | ({ op: 'release' } & Parameters<typeof recordRelease>[0])
  | ({ op: 'finish' } & Parameters<typeof recordFinish>[0])
  | ({ op: 'unlock' } & Parameters<typeof releaseLock>[0]);

/** What the environments downstream do with a release this rollout made, and when. */
function whatNext(
  s: Pick<WorkflowSettings, 'downstream' | 'environment'>,
  fleet: FleetRecord,
  execution: ExecutionRef,
  now: Date,
): string[] {
  if (fleet.releasedBy !== execution.id || s.downstream.length === 0) return [];
  if (fleet.releasedAction === 'rollback') {
    return [
      `Next: nothing downstream; a rollback is not promoted (${s.downstream.map((d) => d.environment).join(', ')} stays on its release)`,
    ];
  }
  return s.downstream.map((d) => {
    const at = new Date(now.getTime() + d.soakMinutes * 60_000).toISOString();
    const when = `after a ${d.soakMinutes}-minute soak, at ${at}, if ${s.environment} still runs it then`;
    return d.approval === 'manual'
      ? `Next: ${d.environment} asks for approval of ${fleet.releasedImage} ${when} (npm run approve -- --env ${d.environment} --image ${fleet.releasedImage})`
      : `Next: ${d.environment} starts a canary of ${fleet.releasedImage} ${when}`;
  });
}
