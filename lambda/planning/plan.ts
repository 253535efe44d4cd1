import { describeGroups, inService } from '../fleet/groups';
import type { FleetGroups, GroupView, Images, Instances } from '../fleet/ports';
import { ImageNotPromoted, NothingToRollBack } from '../shared/errors';
import type { PromotionStore } from '../promotion/ports';
import type { StepSettings } from '../shared/step-settings';
import type { CanaryPlan, ExecutionRef, FleetRecord, Plan, RolloutRequest } from '../shared/documents';
import { otherColour } from '../shared/colours';
import { activeFreeze, ageInDays, refreshBatches, refreshSeconds } from './fleet-math';
import { planReplace } from './replace';
import { trustedImage } from './trust';

export interface PlanDeps {
  readonly groups: FleetGroups;
  readonly instances: Instances;
  readonly images: Images;
  /** What the environment this one promotes from announced it released, and what the factory announced. */
  readonly upstream: Pick<PromotionStore, 'upstreamRelease' | 'factoryImage'>;
  readonly now: Date;
}

/** What Plan Rollout receives: the request and the fleet record the lock step read. */
export interface PlanEvent {
  readonly settings: StepSettings<'plan-rollout'>;
  readonly execution: ExecutionRef;
  readonly request: RolloutRequest;
  readonly fleet: FleetRecord;
}

/**
 * Decide what this execution will do, from the fleet as it is now. Read-only: a dry run
 * stops after this and reports the plan.
 */
export async function planRollout(e: PlanEvent, d: PlanDeps): Promise<Plan> {
  const freeze = automatic(e.request) ? activeFreeze(e.settings.freezeWindows, d.now) : undefined;
  if (freeze) {
    return skip(
      `inside the freeze window "${freeze.reason}" (${freeze.start} to ${freeze.end}); automatic rollouts wait`,
    );
  }
  const groups = await describeGroups(d.groups, e.settings.groups);
  const live = groups[e.fleet.liveColour];
  switch (e.request.action) {
    case 'phoenix':
      return planPhoenix(e, d, live);
    case 'canary':
      return planCanary(e, d, live, e.request.imageId ?? '', e.settings.canary.steps);
    case 'rollback':
      return planRollback(e, d, groups[otherColour(e.fleet.liveColour)], live);
    case 'restore':
      return skip('the fleet is in its known-good state; a restore does nothing more');
    case 'replace':
      return planReplace(e.request, e.settings, groups);
  }
}

/**
 * Started by something other than a person, so a freeze window holds it back. A replace is not:
 * an instance someone changed by hand stays a risk through any freeze, and its replacement runs
 * the released image, which the freeze means to keep.
 */
const automatic = (r: RolloutRequest) => r.trigger !== 'console' && r.action !== 'replace';

function skip(reason: string): Plan {
  return { kind: 'skip', reason, summary: `skip: ${reason}`, estimatedSeconds: 0 };
}

async function planPhoenix(e: PlanEvent, d: PlanDeps, live: GroupView): Promise<Plan> {
  const ids = inService(live).map((i) => i.id);
  if (ids.length === 0) return skip(`the live group ${live.name} has no instances to rotate`);
  const launchTimes = await d.instances.launchTimes(ids);
  const ages = ids.map((id) => ageInDays(launchTimes.get(id) ?? d.now, d.now));
  const oldest = Math.max(...ages);
  const maxAge = e.settings.maxInstanceAgeDays;
  if (!e.request.force && oldest < maxAge) {
    return skip(
      `all ${ids.length} instances are younger than ${maxAge} days (oldest ${oldest.toFixed(1)} days); use force to rotate anyway`,
    );
  }
  // A rotation launches the released image again: it must still be one this environment trusts.
  await trusted(e, d, e.fleet.releasedImage);
  const r = e.settings.refresh;
  const batches = refreshBatches(ids.length, r);
  const estimatedSeconds = refreshSeconds(ids.length, e.settings.expectedBootSeconds, r);
  return {
    kind: 'refresh',
    colour: e.fleet.liveColour,
    group: live.name,
    imageId: e.fleet.releasedImage,
    instances: ids.length,
    oldestAgeDays: Math.round(oldest * 10) / 10,
    batches,
    estimatedSeconds,
    summary:
      `replace ${ids.length} instances of ${live.name} on ${e.fleet.releasedImage} in ${batches} batches ` +
      `(min healthy ${r.minHealthyPercentage} %, warmup ${r.instanceWarmupSeconds} s), about ${minutes(estimatedSeconds)}`,
  };
}

async function planCanary(
  e: PlanEvent,
  d: PlanDeps,
  live: GroupView,
  imageId: string,
  steps: number[],
  gated = true,
): Promise<CanaryPlan | Plan> {
  await trusted(e, d, imageId);
  // The gate: the upstream environment announced a release of this image (Image Released). A
  // rollback returns to this environment's own previous release, which passed it then.
  const from = e.settings.promoteFrom;
  if (gated && from && !(await d.upstream.upstreamRelease(from, imageId))) {
    throw new ImageNotPromoted(
      `${imageId} has no successful release in ${from}; ${e.settings.environment} only accepts images released there first`,
    );
  }
  const liveInstances = inService(live).length;
  if (imageId === e.fleet.releasedImage && liveInstances > 0) {
    return skip(`${imageId} is already the released image, serving on ${live.name}`);
  }
  const initial = live.desired === 0 || liveInstances === 0;
  const capacity = initial ? e.settings.capacity.desired : Math.max(live.desired, 1);
  const plannedSteps = initial ? [100] : steps;
  const estimatedSeconds =
    e.settings.expectedBootSeconds + plannedSteps.length * e.settings.canary.bakeSeconds;
  const to = otherColour(e.fleet.liveColour);
  return {
    kind: 'canary',
    from: { colour: e.fleet.liveColour, imageId: e.fleet.releasedImage },
    to: { colour: to, imageId },
    capacity,
    steps: plannedSteps,
    initial,
    estimatedSeconds,
    summary: initial
      ? `first release: bring ${capacity} instances of ${imageId} up on ${to} and send it all traffic`
      : `canary ${imageId} on ${to} with ${capacity} instances, traffic ${plannedSteps.join(' → ')} %, ` +
        `${e.settings.canary.bakeSeconds} s per step, about ${minutes(estimatedSeconds)}`,
  };
}

async function planRollback(e: PlanEvent, d: PlanDeps, idle: GroupView, live: GroupView): Promise<Plan> {
  const previous = e.fleet.previousImage;
  if (!previous) throw new NothingToRollBack(`${e.settings.environment} has no earlier release to return to`);
  const warm = e.fleet.warm;
  const warmReady =
    warm !== undefined &&
    warm.image === previous &&
    Date.parse(warm.until) > d.now.getTime() &&
    // A canary started during the warm period replaces the warm instances (and, if it fails,
    // leaves the warm record behind): count only instances still on the warm colour's version.
    inService(idle).filter((i) => i.version === e.fleet.versions[warm.colour]).length >=
      Math.max(1, live.desired);
  if (warmReady) {
    // The warm instances run it already, but the flip makes it the release: trust is re-checked.
    await trusted(e, d, previous);
    return {
      kind: 'flip',
      from: { colour: e.fleet.liveColour, imageId: e.fleet.releasedImage },
      to: { colour: warm.colour, imageId: previous },
      version: e.fleet.versions[warm.colour],
      capacity: Math.max(1, live.desired),
      healthyBy: d.now.toISOString(),
      estimatedSeconds: 0,
      summary: `instant rollback: ${warm.colour} still runs ${previous}; send it all traffic`,
    };
  }
  return planCanary(e, d, live, previous, e.settings.rollbackSteps, false);
}

const trusted = (e: PlanEvent, d: PlanDeps, imageId: string) =>
  trustedImage(imageId, e.settings.images, e.settings.environment, {
    images: d.images,
    factory: d.upstream,
  });

function minutes(seconds: number): string {
  return seconds < 120 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
}
