import type { WorkflowSettings } from '../../lambda/shared/types';
import type { Scenario } from './scenario';

/**
 * The least time the fleet's own physics allow for what the scenario asks, whatever the
 * orchestration does: a refresh is its batches of boot + warmup, plus its checkpoint pauses
 * and bake time; a canary is one boot of the new colour plus each step's bake, plus the
 * configured scale-down delay the old colour is kept warm. simulatedSeconds / floorSeconds is
 * then the orchestration's overhead. Zero when nothing should happen (dry run, skip, bad input).
 */
export function floorSeconds(scenario: Scenario, s: WorkflowSettings): number {
  const input = (scenario.input ?? {}) as { action?: unknown; force?: unknown; dryRun?: unknown };
  if (input.dryRun === true) return 0;
  const n = scenario.fleet.instances;
  const boot = scenario.fleet.launchSeconds;
  switch (input.action) {
    case 'phoenix': {
      if (n === 0 || (input.force !== true && scenario.fleet.ageDays < s.maxInstanceAgeDays)) return 0;
      const r = s.refresh;
      // Replacements per batch: the min..max healthy window of the group, at least one.
      // @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/instance-refresh-overview.html
      const perBatch = Math.max(1, Math.floor((n * (r.maxHealthyPercentage - r.minHealthyPercentage)) / 100));
      const batches = Math.ceil(n / perBatch);
      const pauses = r.checkpointPercentages.filter((p) => p < 100).length * r.checkpointDelaySeconds;
      return batches * (boot + r.instanceWarmupSeconds) + pauses + r.bakeTimeSeconds;
    }
    case 'canary':
      return n === 0
        ? boot + s.canary.bakeSeconds
        : boot + s.canary.steps.length * s.canary.bakeSeconds + s.scaleDownDelaySeconds;
    case 'rollback':
      if (!scenario.fleet.previousImage) return 0;
      return scenario.fleet.previousColourWarm
        ? s.scaleDownDelaySeconds
        : boot + s.rollbackSteps.length * s.canary.bakeSeconds + s.scaleDownDelaySeconds;
    default:
      return 0;
  }
}
