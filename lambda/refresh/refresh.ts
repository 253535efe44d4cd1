import type { LaunchTemplates } from '../fleet/ports';
import { refreshSeconds } from '../planning/fleet-math';
import { FleetNotReady, RefreshFailed } from '../shared/errors';
import type { RefreshSettings } from '../shared/settings';
import type { StepSettings } from '../shared/step-settings';
import type { ExecutionRef, RefreshPlan, RefreshProgress } from '../shared/documents';
import type { InstanceRefreshes, RefreshPreferences, RefreshView } from './ports';

/** Polls never come closer than this (transitions cost money) nor further apart (news of a failure waits that long). */
export const MIN_POLL_SECONDS = 15;
export const MAX_POLL_SECONDS = 600;

/**
 * Every status an instance refresh can report, and what the workflow does with it.
 * @see https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_InstanceRefresh.html
 */
export const REFRESH_STATUSES = {
  Pending: 'wait',
  InProgress: 'wait',
  Baking: 'wait',
  Cancelling: 'wait',
  RollbackInProgress: 'wait',
  Successful: 'done',
  Failed: 'fail',
  Cancelled: 'fail',
  RollbackSuccessful: 'fail',
  RollbackFailed: 'fail',
} as const satisfies Record<string, 'wait' | 'done' | 'fail'>;

export interface RefreshDeps {
  readonly refreshes: InstanceRefreshes;
  readonly now: Date;
}

/** What Start Refresh receives. */
export interface StartRefreshEvent {
  readonly settings: StepSettings<'start-refresh'>;
  readonly execution: ExecutionRef;
  readonly plan: RefreshPlan;
}

/** What Check Refresh receives: the progress of the last poll. */
export interface CheckRefreshEvent {
  readonly settings: StepSettings<'check-refresh'>;
  readonly execution: ExecutionRef;
  readonly plan: RefreshPlan;
  readonly progress: RefreshProgress;
}

/** The preferences a rotation runs with: explicit, so a change of AWS defaults changes nothing. */
export function refreshPreferences(r: RefreshSettings, alarms: string[]): RefreshPreferences {
  return {
    MinHealthyPercentage: r.minHealthyPercentage,
    MaxHealthyPercentage: r.maxHealthyPercentage,
    InstanceWarmup: r.instanceWarmupSeconds,
    ...(r.checkpointPercentages.length
      ? { CheckpointPercentages: r.checkpointPercentages, CheckpointDelay: r.checkpointDelaySeconds }
      : {}),
    // Replace every instance: a phoenix rotation's point is that nothing survives it.
    SkipMatching: false,
    AutoRollback: true,
    ...(alarms.length ? { AlarmSpecification: { Alarms: alarms } } : {}),
    ...(r.bakeTimeSeconds > 0 ? { BakeTime: r.bakeTimeSeconds } : {}),
    ScaleInProtectedInstances: 'Refresh',
    StandbyInstances: 'Terminate',
  };
}

/** Create the launch-template version on the released image and start the refresh. */
export async function startRefresh(
  e: StartRefreshEvent,
  d: RefreshDeps & { templates: LaunchTemplates },
): Promise<RefreshProgress> {
  const { settings: s, plan } = e;
  const version = await d.templates.createVersion(
    s.launchTemplateId,
    plan.imageId,
    `phoenix ${plan.imageId} by ${e.execution.name}`,
    `${e.execution.id}#phoenix`,
  );
  let refreshId: string;
  let running = version;
  const started = await d.refreshes.start(
    plan.group,
    { launchTemplateId: s.launchTemplateId, version },
    refreshPreferences(s.refresh, s.refreshAlarms[plan.colour]),
  );
  if ('refreshId' in started) {
    refreshId = started.refreshId;
  } else {
    // A retried start whose first attempt went through: adopt that refresh, nothing else.
    const active = await d.refreshes.latest(plan.group);
    const ours =
      active?.target?.launchTemplateId === s.launchTemplateId &&
      (active.startedAt?.getTime() ?? 0) >= Date.parse(e.execution.startedAt);
    if (!active || !ours) {
      throw new FleetNotReady(
        `another instance refresh (${active?.id ?? 'unknown'}, ${active?.status ?? 'unknown'}) is running on ${plan.group}; ` +
          'let it finish or cancel it, then start again',
      );
    }
    refreshId = active.id ?? '';
    // The same version, asked for with the same key; the record must name what the group runs.
    running = active.target?.version ?? version;
  }
  const expected = refreshSeconds(plan.instances, s.expectedBootSeconds, s.refresh);
  return {
    refreshId,
    version: running,
    status: 'Pending',
    percentageComplete: 0,
    done: false,
    waitSeconds: clampWait(expected),
    startedAt: d.now.toISOString(),
  };
}

/** Read the refresh; finish, keep waiting (for as long as it should still take) or fail. */
export async function checkRefresh(e: CheckRefreshEvent, d: RefreshDeps): Promise<RefreshProgress> {
  const refresh = await d.refreshes.find(e.plan.group, e.progress.refreshId);
  if (!refresh)
    throw new RefreshFailed(`instance refresh ${e.progress.refreshId} on ${e.plan.group} no longer exists`);
  const status = refresh.status ?? 'Unknown';
  const decision = (REFRESH_STATUSES as Record<string, 'wait' | 'done' | 'fail'>)[status];
  if (decision === undefined)
    throw new RefreshFailed(`instance refresh ${e.progress.refreshId} reported unknown status ${status}`);
  if (decision === 'fail') throw new RefreshFailed(describeFailure(e.plan, refresh));
  const percentageComplete = refresh.percentageComplete ?? 0;
  const startedAt = refresh.startedAt ?? new Date(e.progress.startedAt);
  return {
    ...e.progress,
    status,
    percentageComplete,
    done: decision === 'done',
    waitSeconds:
      decision === 'done'
        ? 0
        : nextRefreshWait({
            status,
            percentageComplete,
            elapsedSeconds: (d.now.getTime() - startedAt.getTime()) / 1000,
            expectedSeconds: refreshSeconds(
              e.plan.instances,
              e.settings.expectedBootSeconds,
              e.settings.refresh,
            ),
            batchSeconds: e.settings.expectedBootSeconds + e.settings.refresh.instanceWarmupSeconds,
            bakeSeconds: e.settings.refresh.bakeTimeSeconds,
          }),
  };
}

/**
 * How long to wait before looking again: until the refresh should be done, at the pace it
 * has shown so far (or the expected pace before the first batch completes). Aiming at the
 * expected end, rather than polling on a short fixed interval, keeps state transitions few
 * and still notices the end promptly.
 */
export function nextRefreshWait(p: {
  status: string;
  percentageComplete: number;
  elapsedSeconds: number;
  expectedSeconds: number;
  batchSeconds: number;
  bakeSeconds: number;
}): number {
  if (p.status === 'Cancelling' || p.status === 'RollbackInProgress') return clampWait(p.batchSeconds / 2);
  let remaining: number;
  if (p.percentageComplete > 0 && p.percentageComplete < 100) {
    const replacing = p.elapsedSeconds * (100 / p.percentageComplete);
    remaining = replacing - p.elapsedSeconds + p.bakeSeconds;
  } else {
    remaining = p.expectedSeconds - p.elapsedSeconds;
  }
  if (remaining < MIN_POLL_SECONDS) remaining = p.status === 'Baking' ? MIN_POLL_SECONDS : p.batchSeconds / 4;
  return clampWait(remaining);
}

export const clampWait = (seconds: number) =>
  Math.round(Math.min(MAX_POLL_SECONDS, Math.max(MIN_POLL_SECONDS, seconds)));

function describeFailure(plan: RefreshPlan, r: RefreshView): string {
  const parts = [
    `instance refresh ${r.id ?? ''} on ${plan.group} ended ${r.status ?? 'unknown'}`,
    `${r.percentageComplete ?? 0} % replaced`,
  ];
  if (r.statusReason) parts.push(`reason: ${r.statusReason}`);
  if (r.rollbackReason) parts.push(`rollback: ${r.rollbackReason}`);
  if (r.status === 'RollbackSuccessful')
    parts.push('the group is back on its previous launch-template version');
  if (r.status === 'RollbackFailed')
    parts.push('the rollback itself failed: inspect the group before the next rollout');
  return parts.join('; ');
}
