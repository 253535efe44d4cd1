import fc from 'fast-check';
import { RehearsalSession } from '../../rehearsal/session';
import { synthesizedTemplates } from '../support/templates';
import { storm, stoppedThenFresh, TIMEOUT_BUDGET, TRANSIENT_BUDGET, underFaults } from './arbitraries';
import type { Case } from './cases';
import { assertNoViolations, runCase } from './cases';
import { propertyRuns } from '../support/properties';

/**
 * The rollout invariants (invariants.ts) at every step of random rollouts: any
 * environment, fleets of 1-200 instances, healthy, regressed, unhealthy and missing images,
 * and random fault schedules (throttling, launch failures, alarms, a regression of the new image
 * at any time (mid-step too), Lambda errors and function timeouts, a Lambda outage longer than
 * every retry, a second execution, a stop followed by fresh executions on the same world). A failure prints the seed,
 * the path and the shrunk case, which goes, with a one-line description, into regressions/.
 */
let session: RehearsalSession;
beforeAll(() => {
  session = new RehearsalSession(synthesizedTemplates());
  for (const env of ['dev', 'staging', 'prod'] as const) session.rehearsal(env);
});

/** Runs the property and returns how often each outcome came up ("canary FAILED CanaryFailed"). */
async function check(cases: fc.Arbitrary<Case>): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  await fc.assert(
    fc.asyncProperty(cases, async (c) => {
      const outcome = await runCase(session, c);
      for (const run of outcome.runs) {
        const { status, error, secondExecution } = run.result;
        const action = (run.scenario.input as { action?: string } | undefined)?.action ?? 'invalid';
        const key = `${action} ${status}${error ? ` ${error}` : ''}`;
        seen.set(key, (seen.get(key) ?? 0) + 1);
        if (secondExecution?.error) seen.set(`second ${secondExecution.error}`, 1);
      }
      assertNoViolations(c, outcome);
    }),
    propertyRuns(),
  );
  return seen;
}

/**
 * The outcomes a run of the property must have met, or its cases have stopped exploring. The
 * cases are the same every `npm test` run, and a fuzz run draws at least five times as many.
 */
function expectExplored(seen: Map<string, number>, outcomes: string[]): void {
  expect(outcomes.filter((o) => !seen.has(o))).toEqual([]);
}

describe('the transient fault budget', () => {
  it('is within the retries of every state of every environment', () => {
    for (const env of ['dev', 'staging', 'prod'] as const)
      expect(session.rehearsal(env).fewestRetries).toBeGreaterThanOrEqual(TRANSIENT_BUDGET);
  });

  it('keeps function timeouts within the retries of every Lambda state', () => {
    for (const env of ['dev', 'staging', 'prod'] as const)
      expect(session.rehearsal(env).fewestTimeoutRetries).toBeGreaterThanOrEqual(TIMEOUT_BUDGET);
  });
});

describe('rollouts under injected faults', () => {
  it('keep every invariant at every step', async () => {
    const seen = await check(underFaults);
    expectExplored(seen, [
      'phoenix SUCCEEDED',
      'phoenix FAILED RefreshFailed',
      'canary SUCCEEDED',
      'canary FAILED CanaryFailed',
      'canary FAILED CanaryUnhealthy',
      'canary FAILED ImageNotFound',
      'rollback SUCCEEDED',
      'rollback FAILED NothingToRollBack',
      'second RolloutInProgress',
    ]);
  });
});

describe('an execution stopped at a random transition, then fresh ones on the same world', () => {
  it('keep every invariant at every step', async () => {
    const seen = await check(stoppedThenFresh);
    expectExplored(seen, [
      'phoenix ABORTED States.Aborted',
      'canary ABORTED States.Aborted',
      'rollback ABORTED States.Aborted',
      'phoenix SUCCEEDED',
      'canary SUCCEEDED',
      'rollback SUCCEEDED',
      'canary FAILED CanaryFailed',
    ]);
  });
});

describe('a storm of AWS errors beyond every retry, then a fresh execution', () => {
  it('keeps capacity at every step, and the fresh execution restores a safe fleet', async () => {
    const seen = await check(storm);
    expectExplored(seen, ['phoenix SUCCEEDED', 'canary SUCCEEDED']);
  });
});
