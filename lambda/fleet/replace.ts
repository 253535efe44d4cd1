import { clampWait, MIN_POLL_SECONDS } from '../refresh/refresh';
import type { ExecutionRef, ReplaceGroup, ReplacePlan, ReplaceProgress } from '../shared/documents';
import { FleetNotReady } from '../shared/errors';
import type { StepSettings } from '../shared/step-settings';
import type { TargetHealth } from '../traffic/ports';
import { describeGroups, inService } from './groups';
import type { FleetGroups, GroupView, InstanceRemoval } from './ports';

/**
 * Replacing named instances without ever serving with less: each group first grows by the
 * instances it replaces (their replacements launch from the group's own launch-template version,
 * the released image); once as many other instances are healthy targets as the group had, the
 * replaced instances are detached (the group deregisters them from its target group and drains
 * them, and lowers its desired capacity back), and only once the group has let them go are they
 * terminated.
 */

/** What Start Replacement and Check Replacement receive. */
export interface ReplaceEvent {
  readonly settings: StepSettings<'replace-instances'>;
  readonly execution: ExecutionRef;
  readonly plan: ReplacePlan;
  readonly progress?: ReplaceProgress;
}

export interface ReplaceDeps {
  readonly groups: FleetGroups;
  readonly targetHealth: TargetHealth;
  readonly removal: InstanceRemoval;
  readonly now: Date;
}

/** Grow each group by the instances it replaces: their replacements launch now. */
export async function startReplacement(e: ReplaceEvent, d: ReplaceDeps): Promise<ReplaceProgress> {
  const views = await describeGroups(d.groups, e.settings.groups);
  const groups: ReplaceGroup[] = [];
  for (const planned of e.plan.groups) {
    const g = views[planned.colour];
    // Restore Safe State may have resized the idle colour since the plan; the group's size now is what it returns to.
    const surged = g.desired + planned.instanceIds.length;
    if (surged > g.max)
      throw new FleetNotReady(
        `${g.name} has no room for ${planned.instanceIds.length} replacements (${g.desired} of at most ${g.max})`,
      );
    await d.groups.update(g.name, { desired: surged });
    groups.push({ ...planned, desired: g.desired });
  }
  return {
    phase: 'launching',
    groups,
    deadline: new Date(d.now.getTime() + e.settings.canary.healthyDeadlineSeconds * 1000).toISOString(),
    waitSeconds: clampWait(e.settings.expectedBootSeconds),
    done: false,
    terminated: [],
  };
}

/** Move the replace on: replacements healthy → detach the replaced; detached → terminate them. */
export async function checkReplacement(e: ReplaceEvent, d: ReplaceDeps): Promise<ReplaceProgress> {
  const progress = e.progress;
  if (!progress) throw new Error('Check Replacement needs the progress Start Replacement returned');
  const views = await describeGroups(d.groups, e.settings.groups);
  return progress.phase === 'launching' ? launching(e, d, progress, views) : detaching(e, d, progress, views);
}

async function launching(
  e: ReplaceEvent,
  d: ReplaceDeps,
  progress: ReplaceProgress,
  views: Record<'blue' | 'green', GroupView>,
): Promise<ReplaceProgress> {
  const short: string[] = [];
  for (const g of progress.groups) {
    const healthy = await healthyOthers(e, d, g, views[g.colour]);
    if (healthy < g.desired)
      short.push(`${g.group}: ${healthy} of ${g.desired} healthy without the replaced`);
  }
  if (short.length === 0) {
    for (const g of progress.groups) await d.removal.detach(g.group, held(views[g.colour], g.instanceIds));
    return { ...progress, phase: 'detaching', waitSeconds: MIN_POLL_SECONDS };
  }
  const left = (Date.parse(progress.deadline) - d.now.getTime()) / 1000;
  if (left > 0)
    return { ...progress, waitSeconds: clampWait(Math.min(e.settings.expectedBootSeconds / 4, left)) };
  // Give up without losing anything: the replacements that never became healthy leave (the
  // groups return to their size), and the instances that were to be replaced keep serving.
  for (const g of progress.groups) {
    const view = views[g.colour];
    const surplus = Math.max(0, view.desired - g.desired);
    // Only InService instances can be detached; a replacement still Pending stays with the group.
    const failed = inService(view)
      .filter((i) => !g.instanceIds.includes(i.id) && !i.healthy)
      .slice(0, surplus)
      .map((i) => i.id);
    await d.removal.detach(g.group, failed);
    await d.removal.terminate(failed);
  }
  throw new FleetNotReady(
    `the replacements did not become healthy within ${e.settings.canary.healthyDeadlineSeconds} s (${short.join('; ')}); ` +
      'the instances to replace keep serving, and the groups are back to their size',
  );
}

async function detaching(
  e: ReplaceEvent,
  d: ReplaceDeps,
  progress: ReplaceProgress,
  views: Record<'blue' | 'green', GroupView>,
): Promise<ReplaceProgress> {
  for (const g of progress.groups) {
    // Still Detaching (draining from the target group), or still registered there.
    if (held(views[g.colour], g.instanceIds, true).length > 0)
      return { ...progress, waitSeconds: MIN_POLL_SECONDS };
    const registered = new Set((await d.targetHealth.of(e.settings.targetGroups[g.colour])).map((t) => t.id));
    if (g.instanceIds.some((id) => registered.has(id))) return { ...progress, waitSeconds: MIN_POLL_SECONDS };
  }
  const replaced = progress.groups.flatMap((g) => g.instanceIds);
  await d.removal.terminate(replaced);
  return { ...progress, phase: 'done', done: true, waitSeconds: 0, terminated: replaced };
}

/** Healthy targets of the group other than the instances it replaces. */
async function healthyOthers(
  e: ReplaceEvent,
  d: ReplaceDeps,
  g: ReplaceGroup,
  view: GroupView,
): Promise<number> {
  const others = new Set(
    inService(view)
      .filter((i) => i.healthy && !g.instanceIds.includes(i.id))
      .map((i) => i.id),
  );
  const targets = await d.targetHealth.of(e.settings.targetGroups[g.colour]);
  return targets.filter((t) => others.has(t.id) && t.state === 'healthy').length;
}

/** Which of `ids` the group still holds: InService (or, with `any`, in any lifecycle state). */
function held(view: GroupView, ids: readonly string[], any = false): string[] {
  const present = new Set(view.instances.filter((i) => any || i.lifecycle === 'InService').map((i) => i.id));
  return ids.filter((id) => present.has(id));
}
