import type { FreezeWindow, RefreshSettings } from '../shared/types';

/**
 * Pure arithmetic about fleets and refreshes, shared by planning, polling and the rehearsal's
 * physics floor so they agree on what a rollout costs.
 */

/**
 * Instances an instance refresh replaces per batch. With MaxHealthyPercentage 100 it may take
 * down what MinHealthyPercentage spares; above 100 it launches ahead, so the batch is the
 * width of the min..max window — and always at least one instance.
 * @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/understand-instance-refresh-default-values.html
 */
export function refreshBatchSize(
  instances: number,
  minHealthyPercentage: number,
  maxHealthyPercentage: number,
): number {
  if (instances <= 0) return 0;
  const width = Math.max(0, maxHealthyPercentage - minHealthyPercentage);
  return Math.max(1, Math.floor((instances * width) / 100));
}

export function refreshBatches(
  instances: number,
  minHealthyPercentage: number,
  maxHealthyPercentage: number,
): number {
  if (instances <= 0) return 0;
  return Math.ceil(instances / refreshBatchSize(instances, minHealthyPercentage, maxHealthyPercentage));
}

/**
 * Expected duration of a refresh: each batch boots then warms up; checkpoints pause; the
 * bake time holds the finished refresh before it is Successful.
 */
export function refreshSeconds(instances: number, bootSeconds: number, r: RefreshSettings): number {
  const batches = refreshBatches(instances, r.minHealthyPercentage, r.maxHealthyPercentage);
  if (batches === 0) return 0;
  const checkpoints = checkpointsCrossed(instances, r) * r.checkpointDelaySeconds;
  return batches * (bootSeconds + r.instanceWarmupSeconds) + checkpoints + r.bakeTimeSeconds;
}

/**
 * Checkpoints that pause the refresh: each configured percentage below 100 that the batch
 * sequence reaches (the final 100 % needs no pause before the bake time).
 */
export function checkpointsCrossed(instances: number, r: RefreshSettings): number {
  return instances > 0 ? r.checkpointPercentages.filter((p) => p < 100).length : 0;
}

/** Whole days between a launch time and now. */
export function ageInDays(launchTime: Date, now: Date): number {
  return (now.getTime() - launchTime.getTime()) / 86_400_000;
}

/** The freeze window `now` falls in, if any. */
export function activeFreeze(windows: readonly FreezeWindow[], now: Date): FreezeWindow | undefined {
  const t = now.getTime();
  return windows.find((w) => Date.parse(w.start) <= t && t < Date.parse(w.end));
}

/** Canary weights per step: the share of traffic the new colour gets. */
export function canaryWeights(stepPercent: number): { canary: number; baseline: number } {
  const canary = Math.min(100, Math.max(0, Math.round(stepPercent)));
  return { canary, baseline: 100 - canary };
}
