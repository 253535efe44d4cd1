import type { EnvironmentName } from '../../../lambda/shared/environments';
import { TrainRehearsal } from '../../../rehearsal/train/runner';
import type { TrainRun } from '../../../rehearsal/train/runner';
import type { TrainScenarioInput } from '../../../rehearsal/train/scenario';
import type { TrainEnvironmentResult } from '../../../rehearsal/train/result';
import { productTemplates } from '../../support/templates';

/** What every environment runs at the start. */
export const RELEASED = 'ami-0aaaaaaaaaaaaaaaa';
/** What the image factory bakes. */
export const BAKED = 'ami-0bbbbbbbbbbbbbbbb';

let rehearsal: TrainRehearsal | undefined;

/** The shipped product's stacks, compiled once per test file. */
export function trains(): TrainRehearsal {
  return (rehearsal ??= new TrainRehearsal(productTemplates()));
}

/** dev → staging → prod, small fleets, BAKED healthy and baked at once, prod approved after a day. */
export function trainScenario(overrides: Partial<TrainScenarioInput> = {}): TrainScenarioInput {
  return {
    train: ['dev', 'staging', 'prod'],
    fleets: { dev: { instances: 2 }, staging: { instances: 3 }, prod: { instances: 4 } },
    releasedImage: RELEASED,
    images: { [BAKED]: { healthy: true } },
    bake: { imageId: BAKED, atSecond: 0 },
    approvals: [{ environment: 'prod', atSecond: 86_400, decision: 'approve', by: 'alice' }],
    untilSecond: 259_200,
    ...overrides,
  };
}

export function env(run: TrainRun, name: EnvironmentName): TrainEnvironmentResult {
  const e = run.result.environments[name];
  if (!e) throw new Error(`the train result has no ${name}`);
  return e;
}

/** When the environment released an image (its Image Released), in seconds since the train began. */
export function releasedAtSecond(run: TrainRun, name: EnvironmentName): number {
  const at = env(run, name).releasedAt;
  if (!at) throw new Error(`${name} released nothing`);
  return (Date.parse(at) - Date.parse(run.scenario.startTime)) / 1000;
}

/** Every execution started in an environment, rollouts only, with their input. */
export const rollouts = (run: TrainRun, name: EnvironmentName) =>
  run.executions.filter((x) => x.place === name && x.kind === 'rollout');
