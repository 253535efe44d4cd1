import { refreshSeconds } from '../../lambda/planning/fleet-math';
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
      // The batches AWS's rules give (the simulator replaces in exactly those), each a boot
      // plus warmup, plus checkpoint pauses and the bake time.
      return refreshSeconds(n, boot, s.refresh);
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
