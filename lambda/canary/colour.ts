import { describeGroups, inService } from '../fleet/groups';
import type { FleetGroups, GroupView, LaunchTemplates } from '../fleet/ports';
import { clampWait, MIN_POLL_SECONDS } from '../refresh/refresh';
import { CanaryUnhealthy } from '../shared/errors';
import type { WorkflowSettings } from '../shared/settings';
import type { StepSettings } from '../shared/step-settings';
import type { CanaryPlan, CanaryProgress, ExecutionRef, FlipPlan } from '../shared/documents';
import type { TargetHealth } from '../traffic/ports';

/**
 * Bringing the canary colour up: a launch-template version on the new image, then the idle
 * group at the live group's capacity. An idle group that still runs instances (a previous
 * colour kept warm) is emptied first, so the canary never serves anything but the new image.
 */

/** What Prepare Canary Colour receives. */
export interface PrepareCanaryEvent {
  readonly settings: StepSettings<'prepare-canary'>;
  readonly execution: ExecutionRef;
  readonly plan: CanaryPlan;
}

/** What Check Canary Health receives, and Check Warm Colour Health with a rollback's flip. */
export interface CheckCanaryEvent {
  readonly settings: StepSettings<'check-canary'>;
  readonly execution: ExecutionRef;
  readonly plan: CanaryPlan | FlipPlan;
  readonly progress: PreparedCanary;
}

export type CanaryPhase = 'draining' | 'launching';
export type PreparedCanary = CanaryProgress & { readonly phase: CanaryPhase };

export async function prepareCanary(
  e: PrepareCanaryEvent,
  d: { groups: FleetGroups; templates: LaunchTemplates; now: Date },
): Promise<PreparedCanary> {
  const { settings: s, plan } = e;
  const version = await d.templates.createVersion(
    s.launchTemplateId,
    plan.to.imageId,
    `canary ${plan.to.imageId} by ${e.execution.name}`,
    `${e.execution.id}#canary`,
  );
  const groups = await describeGroups(d.groups, s.groups);
  const idle = groups[plan.to.colour];
  // A retry whose first attempt went through (it timed out after acting) finds the idle group on
  // this very version: that attempt chose the phase, and draining it again would throw away the
  // canary instances it launched.
  const retried = idle.version === version;
  const draining = retried ? idle.desired === 0 : idle.instances.length > 0 || idle.desired > 0;
  if (!retried) {
    await d.groups.update(idle.name, {
      launchTemplate: { id: s.launchTemplateId, version },
      ...(draining ? { min: 0, desired: 0 } : scaleUp(s, plan)),
    });
  }
  return {
    phase: draining ? 'draining' : 'launching',
    version,
    capacity: plan.capacity,
    healthy: 0,
    ready: false,
    deadline: new Date(d.now.getTime() + s.canary.healthyDeadlineSeconds * 1000).toISOString(),
    waitSeconds: draining ? MIN_POLL_SECONDS : clampWait(s.expectedBootSeconds),
    step: 0,
    weight: 0,
    done: false,
    judgements: [],
  };
}

/** Sizes for the canary group: the plan's capacity, never scaled in by its own minimum. */
function scaleUp(s: Pick<WorkflowSettings, 'capacity'>, plan: Pick<CanaryPlan, 'capacity'>) {
  return {
    min: Math.min(s.capacity.min, plan.capacity),
    max: Math.max(s.capacity.max, plan.capacity),
    desired: plan.capacity,
  };
}

/**
 * Count the canary colour's healthy targets on the new version. Ready when the plan's
 * capacity is healthy; `CanaryUnhealthy` when the deadline passes first. A rollback's flip asks
 * the same of the warm colour, with a deadline of now.
 */
export async function checkCanary(
  e: CheckCanaryEvent,
  d: { groups: FleetGroups; targetHealth: TargetHealth; now: Date },
): Promise<PreparedCanary> {
  const { settings: s, plan, progress } = e;
  const group = (await describeGroups(d.groups, s.groups))[plan.to.colour];
  if (progress.phase === 'draining') {
    if (group.instances.length > 0) return pending(progress, 0, d.now, group, MIN_POLL_SECONDS);
    await d.groups.update(group.name, scaleUp(s, plan));
    return { ...progress, phase: 'launching', waitSeconds: clampWait(s.expectedBootSeconds) };
  }
  const candidates = new Set(
    inService(group)
      .filter((i) => i.version === progress.version)
      .map((i) => i.id),
  );
  const targets = await d.targetHealth.of(s.targetGroups[plan.to.colour]);
  const healthy = targets.filter((t) => candidates.has(t.id) && t.state === 'healthy').length;
  if (healthy >= progress.capacity) return { ...progress, healthy, ready: true, waitSeconds: 0 };
  return pending(progress, healthy, d.now, group, s.expectedBootSeconds / 4);
}

function pending(
  p: PreparedCanary,
  healthy: number,
  now: Date,
  group: GroupView,
  wait: number,
): PreparedCanary {
  const left = (Date.parse(p.deadline) - now.getTime()) / 1000;
  if (left <= 0) {
    throw new CanaryUnhealthy(
      `${healthy} of ${p.capacity} canary instances in ${group.name} became healthy before the deadline ` +
        `(${group.instances.length} instances: ${summarize(group)})`,
    );
  }
  return { ...p, healthy, waitSeconds: clampWait(Math.min(wait, left)) };
}

function summarize(group: GroupView): string {
  const counts = new Map<string, number>();
  for (const i of group.instances) counts.set(i.lifecycle, (counts.get(i.lifecycle) ?? 0) + 1);
  return [...counts].map(([k, v]) => `${v} ${k}`).join(', ') || 'none';
}
