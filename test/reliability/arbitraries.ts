import fc from 'fast-check';
import type { Fault, NextExecutionInput, ScenarioInput } from '../../rehearsal/scenario';
import { MISSING, NEW, PREVIOUS, REGRESSED, RELEASED } from '../rehearsal/support';
import type { Case } from './cases';

/**
 * Generators for the fault-injection properties: fleets, images, inputs, environments and
 * fault schedules, each drawn from the range the product must cope with.
 */

/** An image whose p99 latency is far beyond every environment's threshold. */
export const SLOW = 'ami-0f6f6f6f6f6f6f6f6';
/** An image whose instances never pass their health checks. */
export const UNHEALTHY = 'ami-0a7a7a7a7a7a7a7a7';
/** An image the environment this one promotes from never released. */
export const UNPROMOTED = 'ami-0b8b8b8b8b8b8b8b8';

/**
 * Transient failures (throttled calls plus failed Lambda invocations) one case injects at
 * most: fewer than the smallest retry budget of any state (Notify Outcome retries 4 times),
 * so every injected failure is one the workflow must absorb.
 */
export const TRANSIENT_BUDGET = 4;

const environment = fc.constantFrom('dev', 'staging', 'prod');

/** A time within the first hour, half the time within the first five minutes. */
const second = fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 3600 }));

/** Released upstream of every environment, so the promotion gate passes it. */
const upstream = { releasedIn: ['dev', 'staging'] as Array<'dev' | 'staging' | 'prod'> };

const behaviours = fc.record({
  [NEW]: fc
    .record({ errorRate: fc.double({ min: 0, max: 0.004, noNaN: true }) })
    .map((b) => ({ ...b, ...upstream })),
  [REGRESSED]: fc
    .record({ errorRate: fc.double({ min: 0.06, max: 1, noNaN: true }) })
    .map((b) => ({ ...b, ...upstream })),
  [SLOW]: fc
    .record({ p99LatencyMs: fc.integer({ min: 2500, max: 20_000 }) })
    .map((b) => ({ ...b, ...upstream })),
  [UNHEALTHY]: fc.constant({ healthy: false, ...upstream }),
  // released nowhere: staging and prod refuse it (ImageNotPromoted)
  [UNPROMOTED]: fc.constant({ releasedIn: [] as Array<'dev' | 'staging' | 'prod'> }),
});

/** What the release before the current one does now, if there is one. */
const previous = fc.option(
  fc.record({
    behaviour: fc.constantFrom<Record<string, unknown>>(
      {},
      { errorRate: 0.3 },
      { p99LatencyMs: 8000 },
      { healthy: false },
    ),
    warm: fc.boolean(),
  }),
  { nil: undefined },
);

/** What any action may add: a dry run now and then, a reason, a trigger. */
const common = fc
  .record({
    dryRun: fc.oneof(
      { arbitrary: fc.constant(true), weight: 1 },
      { arbitrary: fc.constant(undefined), weight: 5 },
    ),
    reason: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
    trigger: fc.option(fc.constantFrom('console', 'schedule', 'image-factory', 'promotion'), {
      nil: undefined,
    }),
  })
  .map((c) => Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)));

/** A valid execution input of any action. */
export const validInput = fc.oneof(
  fc
    .tuple(common, fc.option(fc.boolean(), { nil: undefined }))
    .map(([c, force]) => ({ action: 'phoenix', ...c, ...(force === undefined ? {} : { force }) })),
  fc
    .tuple(common, fc.constantFrom(NEW, NEW, REGRESSED, SLOW, UNHEALTHY, MISSING, UNPROMOTED, RELEASED))
    .map(([c, imageId]) => ({ action: 'canary', imageId, ...c })),
  common.map((c) => ({ action: 'rollback', ...c })),
  common.map((c) => ({ action: 'restore', ...c })),
);

/** A fault schedule whose transient failures stay within `TRANSIENT_BUDGET`. */
const faults = (): fc.Arbitrary<Fault[]> =>
  fc
    .array(
      fc.oneof(
        fc.record({
          kind: fc.constant('throttle' as const),
          atSecond: second,
          calls: fc.integer({ min: 1, max: 4 }),
        }),
        fc.record({
          kind: fc.constant('lambda-error' as const),
          atSecond: second,
          count: fc.integer({ min: 1, max: 4 }),
        }),
        fc.record({
          kind: fc.constant('launch-failure' as const),
          atSecond: second,
          count: fc.integer({ min: 1, max: 12 }),
        }),
        fc.record(
          {
            kind: fc.constant('alarm' as const),
            atSecond: second,
            alarm: fc.constantFrom('5xx' as const, 'latency' as const, 'unhealthy-hosts' as const),
            durationSeconds: fc.integer({ min: 60, max: 1800 }),
          },
          { requiredKeys: ['kind', 'atSecond', 'alarm'] },
        ),
        fc.record({
          kind: fc.constant('second-execution' as const),
          atSecond: second,
          // now and then one the workflow refuses outright
          input: fc.oneof(
            { arbitrary: validInput, weight: 9 },
            { arbitrary: fc.constant({ action: 'deploy' }), weight: 1 },
          ),
        }),
      ),
      { maxLength: 5 },
    )
    .map(withinBudget);

/** Drops the transient failures beyond the budget, keeping the schedule's order. */
function withinBudget(list: Fault[]): Fault[] {
  let left = TRANSIENT_BUDGET;
  const out: Fault[] = [];
  let second = false;
  for (const f of list) {
    if (f.kind === 'throttle' || f.kind === 'lambda-error') {
      const n = f.kind === 'throttle' ? f.calls : f.count;
      if (n > left) continue;
      left -= n;
    }
    // The runner starts one second execution per run.
    if (f.kind === 'second-execution') {
      if (second) continue;
      second = true;
    }
    out.push(f);
  }
  return out;
}

/** A scenario: any environment, fleet, history, images, input and fault schedule. */
export const scenario = (input: fc.Arbitrary<unknown> = validInput): fc.Arbitrary<ScenarioInput> =>
  fc
    .record({
      environment,
      instances: fc.integer({ min: 1, max: 200 }),
      launchSeconds: fc.integer({ min: 30, max: 600 }),
      ageDays: fc.double({ min: 0, max: 60, noNaN: true }),
      previous,
      images: behaviours,
      input,
      faults: faults(),
      requestsPerSecond: fc.integer({ min: 20, max: 5000 }),
      lambdaLatencySeconds: fc.double({ min: 0.05, max: 5, noNaN: true }),
      // Now and then inside prod's year-end freeze window, where automatic rollouts skip.
      startTime: fc.constantFrom('2026-11-26T10:00:00Z', '2026-11-26T10:00:00Z', '2026-12-24T09:30:00Z'),
    })
    .map((c) => ({
      environment: c.environment,
      fleet: {
        instances: c.instances,
        launchSeconds: c.launchSeconds,
        ageDays: c.ageDays,
        ...(c.previous ? { previousImage: PREVIOUS, previousColourWarm: c.previous.warm } : {}),
      },
      releasedImage: RELEASED,
      images: { ...c.images, ...(c.previous ? { [PREVIOUS]: c.previous.behaviour } : {}) },
      input: c.input,
      faults: c.faults,
      requestsPerSecond: c.requestsPerSecond,
      lambdaLatencySeconds: c.lambdaLatencySeconds,
      startTime: c.startTime,
    }));

/** A case whose first execution is stopped at a random transition, then a fresh one starts. */
export const stoppedThenFresh: fc.Arbitrary<Case> = fc
  .record({
    scenario: scenario(),
    atTransition: fc.integer({ min: 1, max: 40 }),
    next: fc.array(
      fc.record({
        afterSeconds: fc.oneof(
          fc.constant(0),
          fc.integer({ min: 0, max: 900 }),
          fc.integer({ min: 0, max: 7200 }),
        ),
        input: validInput,
        faults: faults(),
      }),
      { minLength: 1, maxLength: 2 },
    ),
  })
  .map(({ scenario: s, atTransition, next }) => ({
    scenario: { ...s, faults: [...(s.faults ?? []), { kind: 'stop' as const, atTransition }] },
    then: next satisfies NextExecutionInput[],
  }));

/** A case of one scenario, faults and all. */
export const underFaults: fc.Arbitrary<Case> = scenario().map((s) => ({ scenario: s }));

/**
 * A storm: throttling and Lambda errors far beyond what any state's retries absorb, at random
 * times, then a restore on the world it left, which must find and restore a safe fleet.
 */
export const storm: fc.Arbitrary<Case> = fc
  .record({
    scenario: scenario(),
    bursts: fc.array(
      fc.oneof(
        fc.record({
          kind: fc.constant('throttle' as const),
          atSecond: second,
          calls: fc.integer({ min: TRANSIENT_BUDGET + 1, max: 40 }),
        }),
        fc.record({
          kind: fc.constant('lambda-error' as const),
          atSecond: second,
          count: fc.integer({ min: TRANSIENT_BUDGET + 1, max: 20 }),
        }),
      ),
      { minLength: 1, maxLength: 3 },
    ),
    afterSeconds: fc.integer({ min: 0, max: 900 }),
  })
  .map(({ scenario: s, bursts, afterSeconds }) => ({
    scenario: { ...s, faults: [...(s.faults ?? []), ...bursts] },
    then: [{ afterSeconds, input: { action: 'restore' } }],
  }));
