import type { CompiledStack } from '../engine/stack';
import { fleetOf } from './scenario';
import type { TrainScenario } from './scenario';

/**
 * The least time a train can take from the bake to the last environment's release, whatever
 * the orchestration does: in each environment a canary boots the new colour and bakes each
 * traffic step (its release is announced at promotion, before the old colour's scale-down
 * delay), and each promotion soaks as configured. A person's approval is not counted: the
 * lead time leaves it out too. Zero when the train bakes nothing.
 */
export function trainFloorSeconds(
  s: TrainScenario,
  environments: ReadonlyMap<string, CompiledStack>,
): number {
  if (!s.bake) return 0;
  let total = 0;
  for (const name of s.train) {
    const env = environments.get(name);
    if (!env) throw new Error(`${name} is not an environment of this product`);
    const { launchSeconds, instances } = fleetOf(s, name);
    const { steps, bakeSeconds } = env.deployed.settings.canary;
    total += launchSeconds + (instances === 0 ? 1 : steps.length) * bakeSeconds;
    total += (env.deployed.promotion?.soakMinutes ?? 0) * 60;
  }
  return total;
}
