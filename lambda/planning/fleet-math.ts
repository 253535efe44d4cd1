import type { FreezeWindow, RefreshSettings } from '../shared/settings';

/**
 * Pure arithmetic about fleets and refreshes, shared by planning, polling and the rehearsal's
 * physics floor so they agree on what a rollout costs.
 */

/**
 * The batches an instance refresh replaces a healthy group in. Minimum healthy and maximum
 * capacity are whole instances, rounded up; each batch launches up to the maximum and takes
 * down what the minimum spares (at least one instance), and no batch crosses a checkpoint,
 * so the refresh pauses exactly on each checkpoint percentage.
 * @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/understand-instance-refresh-default-values.html
 * @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/asg-adding-checkpoints-instance-refresh.html
 */
export function refreshBatchSizes(
  instances: number,
  r: Pick<RefreshSettings, 'minHealthyPercentage' | 'maxHealthyPercentage' | 'checkpointPercentages'>,
): number[] {
  const minHealthy = Math.ceil((instances * r.minHealthyPercentage) / 100);
  const maxCapacity = Math.ceil((instances * r.maxHealthyPercentage) / 100);
  const perBatch = Math.max(1, Math.max(0, maxCapacity - instances) + Math.max(0, instances - minHealthy));
  const checkpoints = r.checkpointPercentages.map((p) => Math.ceil((instances * p) / 100));
  const sizes: number[] = [];
  for (let updated = 0; updated < instances;) {
    let size = Math.min(perBatch, instances - updated);
    const next = checkpoints.find((c) => c > updated);
    if (next !== undefined) size = Math.min(size, Math.max(1, next - updated));
    sizes.push(size);
    updated += size;
  }
  return sizes;
}

export function refreshBatches(instances: number, r: Parameters<typeof refreshBatchSizes>[1]): number {
  return refreshBatchSizes(instances, r).length;
}

/**
 * Expected duration of a refresh: each batch boots then warms up; checkpoints below 100 %
 * pause it; the bake time holds the finished refresh before it is Successful.
 */
export function refreshSeconds(instances: number, bootSeconds: number, r: RefreshSettings): number {
  const batches = refreshBatches(instances, r);
  if (batches === 0) return 0;
  return (
    batches * (bootSeconds + r.instanceWarmupSeconds) +
    checkpointsCrossed(instances, r) * r.checkpointDelaySeconds +
    r.bakeTimeSeconds
  );
}

/** Checkpoints that pause the refresh: each configured percentage below 100. */
export function checkpointsCrossed(
  instances: number,
  r: Pick<RefreshSettings, 'checkpointPercentages'>,
): number {
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
