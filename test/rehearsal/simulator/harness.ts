import { FleetSimulator, type SimWorldSpec } from '../../../rehearsal/simulator';
import { simulatedClients } from '../../../rehearsal/simulator/sdk-routes';
import { world, type WorldOptions } from './fixtures';

/** The simulator the tests' clients reach now (each test makes its own). */
let current: FleetSimulator | undefined;

/** SDK clients answered by the current test's simulator, as the rehearsal hands them to handlers. */
export const clients = simulatedClients('eu-west-1', () => {
  if (!current) throw new Error('no simulator: call simulate() first');
  return current.place;
});

/** A simulator the harness's clients reach; call `uninstall` in afterEach. */
export function simulate(options: WorldOptions | SimWorldSpec = {}) {
  const spec = 'region' in options ? options : world(options);
  const sim = new FleetSimulator(spec);
  current = sim;
  const uninstall = () => {
    if (current === sim) current = undefined;
  };
  return { sim, uninstall };
}

/** The rejection of a promise, for asserting on its name and fields. */
export async function rejection(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
