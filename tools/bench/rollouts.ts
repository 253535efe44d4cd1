import type { ProductTemplates } from '../../rehearsal/synth';
import { parseScenario } from '../../rehearsal/scenario';
import { log, round } from './stats';

export interface RolloutFigure {
  readonly action: 'phoenix' | 'canary';
  readonly instances: number;
  readonly simulatedSeconds: number;
  /** The fleet physics' minimum for the same rollout: what no workflow could beat. */
  readonly floorSeconds: number;
  /** simulatedSeconds / floorSeconds. */
  readonly ratio: number;
  readonly transitions: number;
  readonly transitionsPerMinute: number;
  readonly lambdaInvocations: number;
  readonly apiCalls: number;
}

/**
 * Phoenix and canary rollouts of one environment's workflow at each fleet size, rehearsed on a
 * simulated clock: their overhead against the fleet-physics floor, and what they cost in state
 * transitions, invocations and API calls.
 */
export async function rolloutFigures(
  templates: ProductTemplates,
  environment: 'dev' | 'staging' | 'prod',
  sizes: readonly number[],
) {
  const { Rehearsal } = await import('../../rehearsal/runner.js');
  const template = templates.environments[environment];
  if (!template) throw new Error(`the benchmarked product has no ${environment} environment`);
  const rehearsal = Rehearsal.fromTemplate(environment, template);
  const boot = rehearsal.settings.expectedBootSeconds;
  const figures: RolloutFigure[] = [];
  for (const action of ['phoenix', 'canary'] as const) {
    for (const instances of sizes) {
      const scenario = parseScenario({
        environment,
        fleet: { instances, launchSeconds: boot, ageDays: 30 },
        releasedImage: 'ami-0aaaaaaaaaaaaaaaa',
        // released in staging: the promotion gate prod's canary passes
        images: { 'ami-0bbbbbbbbbbbbbbbb': { healthy: true, errorRate: 0.001, releasedIn: ['staging'] } },
        input: action === 'canary' ? { action, imageId: 'ami-0bbbbbbbbbbbbbbbb' } : { action },
      });
      const { result } = await rehearsal.run(scenario);
      if (result.status !== 'SUCCEEDED')
        throw new Error(
          `${action} at ${instances} instances did not succeed: ${result.error ?? ''} ${result.cause ?? ''}`,
        );
      figures.push({
        action,
        instances,
        simulatedSeconds: result.simulatedSeconds,
        floorSeconds: result.floorSeconds,
        ratio: round(result.simulatedSeconds / Math.max(1, result.floorSeconds), 3),
        transitions: result.transitions,
        transitionsPerMinute: round(result.transitions / Math.max(1 / 60, result.simulatedSeconds / 60), 2),
        lambdaInvocations: result.lambdaInvocations,
        apiCalls: Object.values(result.apiCalls).reduce((a, b) => a + b, 0),
      });
      log(`  ${action} × ${instances}: ${result.simulatedSeconds} s (floor ${result.floorSeconds} s)`);
    }
  }
  return figures;
}
