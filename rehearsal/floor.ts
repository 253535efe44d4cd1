import { activeFreeze, refreshSeconds } from '../lambda/planning/fleet-math';
import { rolloutInputSchema } from '../lambda/shared/input-schema';
import type { WorkflowSettings } from '../lambda/shared/settings';
import type { Scenario } from './scenario';
import { releasedUpstream, scenarioImageIds } from './scenario-world';
import { DEREGISTRATION_DELAY_SECONDS } from './simulator/world';

/**
 * The least time the fleet's own physics allow for what the scenario asks, whatever the
 * orchestration does: a refresh is its batches of boot + warmup, plus its checkpoint pauses
 * and bake time; a canary is one boot of the new colour plus each step's bake, plus the
 * configured scale-down delay the old colour is kept warm; a replace is one boot of the
 * replacements and the replaced instances' drain. simulatedSeconds / floorSeconds is
 * then the orchestration's overhead. Zero when nothing should happen: a dry run, a skip, an
 * input the workflow refuses, an image it refuses (missing, or not released where this
 * environment promotes from), a rollback with nothing to return to.
 */
export function floorSeconds(scenario: Scenario, s: WorkflowSettings): number {
  const parsed = rolloutInputSchema.safeParse(scenario.input);
  if (!parsed.success) return 0;
  const input = parsed.data;
  if (input.dryRun === true) return 0;
  const automatic = (input.trigger ?? 'console') !== 'console';
  if (automatic && activeFreeze(s.freezeWindows, new Date(scenario.startTime))) return 0;
  const n = scenario.fleet.instances;
  const boot = scenario.fleet.launchSeconds;
  switch (input.action) {
    case 'phoenix': {
      if (n === 0 || (input.force !== true && scenario.fleet.ageDays < s.maxInstanceAgeDays)) return 0;
      // The batches AWS's rules give (the simulator replaces in exactly those), each a boot
      // plus warmup, plus checkpoint pauses and the bake time.
      return refreshSeconds(n, boot, s.refresh);
    }
    case 'canary': {
      const imageId = input.imageId ?? '';
      if (refused(scenario, s, imageId) || (imageId === scenario.releasedImage && n > 0)) return 0;
      return n === 0
        ? boot + s.canary.bakeSeconds
        : boot + s.canary.steps.length * s.canary.bakeSeconds + s.scaleDownDelaySeconds;
    }
    case 'rollback': {
      const previous = scenario.fleet.previousImage;
      if (!previous) return 0;
      if (scenario.fleet.previousColourWarm) return s.scaleDownDelaySeconds;
      if (refused(scenario, s, previous)) return 0;
      return boot + s.rollbackSteps.length * s.canary.bakeSeconds + s.scaleDownDelaySeconds;
    }
    case 'restore':
      return 0;
    case 'replace':
      // The replacements boot, then the replaced instances drain from their target group.
      return n === 0 ? 0 : boot + DEREGISTRATION_DELAY_SECONDS;
  }
}

/** The planner refuses an image that does not exist, or that the promotion gate stops. */
function refused(scenario: Scenario, s: WorkflowSettings, imageId: string): boolean {
  if (!scenarioImageIds(scenario).includes(imageId)) return true;
  return s.promoteFrom !== undefined && !releasedUpstream(scenario, imageId).includes(s.promoteFrom);
}
