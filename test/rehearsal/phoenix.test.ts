import type { RehearsalRun } from '../../rehearsal/runner';
import type { RehearsalSession } from '../../rehearsal/session';
import {
  expectKnownEndState,
  fleetChanges,
  fleetRecordOf,
  ledgerOf,
  openSession,
  parametersOf,
  RELEASED,
  scenario,
  statesEntered,
} from './support';

let session: RehearsalSession;
beforeAll(() => {
  session = openSession();
});

const dev = () => session.rehearsal('dev');
const refreshSucceededAt = (run: RehearsalRun) =>
  run.samples.find((s) => s.refresh?.status === 'Successful')?.t ?? Number.NaN;
const phoenix = (fleet: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  scenario({ fleet: { instances: 6, launchSeconds: 100, ...fleet }, input: { action: 'phoenix', ...extra } });

describe('phoenix rotation of an old fleet', () => {
  it('replaces every instance on the released image, never below the minimum healthy share', async () => {
    const run = await dev().run(phoenix({ ageDays: 12 }));
    const r = run.result;
    expect(r).toMatchObject({
      status: 'SUCCEEDED',
      live: {
        image: RELEASED,
        weights: { blue: 100, green: 0 },
        trafficByImage: { [RELEASED]: 100 },
        instancesByImage: { [RELEASED]: 6 },
      },
      instancesReplaced: 6,
    });
    // dev refreshes with MinHealthyPercentage 50
    expect(r.minHealthyFraction).toBeGreaterThanOrEqual(dev().settings.refresh.minHealthyPercentage / 100);
    expect(r.minHealthyFraction).toBeLessThan(1);
    expect(fleetChanges(run)).toEqual({
      CreateLaunchTemplateVersion: 1,
      StartInstanceRefresh: 1,
      PutParameter: 1,
    });
    expect(r.simulatedSeconds).toBeGreaterThanOrEqual(r.floorSeconds);
    expect(r.floorSeconds).toBeGreaterThan(0);
    expectKnownEndState(run, dev());
  });

  it('records the launch-template version the group now runs, in the record and in SSM', async () => {
    const run = await dev().run(phoenix({ ageDays: 12 }));
    expect(fleetRecordOf(run, dev().settings)?.versions).toEqual({ blue: '2', green: '1' });
    expect(parametersOf(run, dev().settings).versions).toEqual({ blue: '2', green: '1' });
    expect(run.simulator.snapshot().groups.blue.launchTemplateVersion).toBe('2');
    expect(ledgerOf(run, dev().settings)).toEqual([
      expect.objectContaining({
        status: 'SUCCEEDED',
        action: 'phoenix',
        fromImage: RELEASED,
        toImage: RELEASED,
      }),
    ]);
    expect(run.notifications.map((n) => n.subject)).toEqual(['[dev] phoenix SUCCEEDED']);
  });

  it('rotates a 400-instance prod fleet in batches within its 90 % minimum healthy share', async () => {
    const prod = session.rehearsal('prod');
    const run = await prod.run(
      scenario({
        environment: 'prod',
        fleet: { instances: 400, launchSeconds: 150, ageDays: 20 },
        requestsPerSecond: 20_000,
        input: { action: 'phoenix' },
      }),
    );
    const r = run.result;
    expect(r).toMatchObject({
      status: 'SUCCEEDED',
      instancesReplaced: 400,
      live: { instancesByImage: { [RELEASED]: 400 }, trafficByImage: { [RELEASED]: 100 } },
    });
    expect(r.minHealthyFraction).toBeGreaterThanOrEqual(0.9);
    // the poll waits aim at the expected end: a few dozen checks, not one per minute of a 45-minute refresh
    expect(r.apiCalls.DescribeInstanceRefreshes).toBeLessThan(60);
    expect(r.simulatedSeconds).toBeGreaterThanOrEqual(r.floorSeconds);
    expect(r.simulatedSeconds).toBeLessThan(r.floorSeconds * 1.25);
    expectKnownEndState(run, prod);
  });
});

describe('phoenix rotation of a young fleet', () => {
  it('skips with the reason when no instance is older than the configured maximum age', async () => {
    const run = await dev().run(phoenix({ ageDays: 1 }, { trigger: 'schedule' }));
    expect(run.result).toMatchObject({ status: 'SUCCEEDED', instancesReplaced: 0, floorSeconds: 0 });
    expect(fleetChanges(run)).toEqual({});
    expect(ledgerOf(run, dev().settings)).toEqual([expect.objectContaining({ status: 'SKIPPED' })]);
    expect(run.notifications[0]?.message).toContain('younger than 7 days');
    expectKnownEndState(run, dev());
  });

  it('rotates anyway when forced', async () => {
    const run = await dev().run(phoenix({ ageDays: 1 }, { force: true }));
    expect(run.result).toMatchObject({ status: 'SUCCEEDED', instancesReplaced: 6 });
    expect(run.result.floorSeconds).toBeGreaterThan(0);
    expectKnownEndState(run, dev());
  });

  it('skips a scheduled rotation inside a freeze window, but not one started from the console', async () => {
    const prod = session.rehearsal('prod');
    const inFreeze = (trigger: string) =>
      scenario({
        environment: 'prod',
        fleet: { instances: 6, ageDays: 30 },
        startTime: '2026-12-24T06:00:00Z',
        input: { action: 'phoenix', trigger, dryRun: true },
      });
    const scheduled = await prod.run(inFreeze('schedule'));
    expect(scheduled.notifications[0]?.message).toContain('year-end change freeze');
    expect(ledgerOf(scheduled, prod.settings)[0]?.plan).toContain('"kind":"skip"');
    const manual = await prod.run(inFreeze('console'));
    expect(ledgerOf(manual, prod.settings)[0]?.plan).toContain('"kind":"refresh"');
  });
});

describe('phoenix rotation that trips an alarm', () => {
  it('ends RefreshFailed with the fleet back on its previous version of the released image', async () => {
    const run = await dev().run(
      scenario({
        fleet: { instances: 6, launchSeconds: 100, ageDays: 12 },
        input: { action: 'phoenix' },
        faults: [{ atSecond: 150, kind: 'alarm', alarm: 'latency' }],
      }),
    );
    expect(run.result).toMatchObject({
      status: 'FAILED',
      error: 'RefreshFailed',
      live: { image: RELEASED, instancesByImage: { [RELEASED]: 6 }, trafficByImage: { [RELEASED]: 100 } },
    });
    expect(run.result.cause).toContain('ended RollbackSuccessful');
    expect(run.result.cause).toContain('immutable-dev-blue-latency');
    // the refresh rolled the replaced half back: the group is on version 1 again, as the record says
    expect(run.simulator.snapshot().groups.blue.launchTemplateVersion).toBe('1');
    expect(fleetRecordOf(run, dev().settings)?.versions.blue).toBe('1');
    expect(statesEntered(run)).toContain('Return Traffic To Last Good Fleet');
    expect(ledgerOf(run, dev().settings)).toEqual([
      expect.objectContaining({ status: 'FAILED', error: 'RefreshFailed' }),
    ]);
    expectKnownEndState(run, dev());
  });
});

describe('phoenix rotation that outlasts the state machine timeout', () => {
  it('ends TIMED_OUT; the janitor frees the lock, and its restore cleans up after it', async () => {
    const prod = session.rehearsal('prod');
    const timeout = prod.timeoutSeconds ?? 0;
    // 400 instances booting for 50 minutes each: five batches, far beyond the 3-hour timeout
    const run = await prod.run(
      scenario({
        environment: 'prod',
        fleet: { instances: 400, launchSeconds: 3000, ageDays: 30 },
        requestsPerSecond: 20_000,
        input: { action: 'phoenix' },
      }),
    );
    expect(run.result).toMatchObject({
      status: 'TIMED_OUT',
      error: 'States.Timeout',
      simulatedSeconds: timeout,
      automaticRestores: [{ status: 'SUCCEEDED' }],
    });
    // the refresh nobody watched any more was cancelled by the restore's first step
    expect(run.result.apiCalls.CancelInstanceRefresh).toBe(1);
    expect(ledgerOf(run, prod.settings).map((e) => `${e.action} ${e.status}`)).toEqual([
      'phoenix ABANDONED',
      'restore SUCCEEDED',
    ]);
    expect(run.simulator.item(prod.settings.table, { pk: 'fleet', sk: 'lock' })).toBeUndefined();
  });
});

describe('phoenix rotation through transient failures', () => {
  it('retries Lambda service errors with backoff and still succeeds', async () => {
    const clean = await dev().run(phoenix({ ageDays: 12 }));
    const run = await dev().run(
      scenario({
        fleet: { instances: 6, launchSeconds: 100, ageDays: 12 },
        input: { action: 'phoenix' },
        faults: [
          { atSecond: 0, kind: 'lambda-error', count: 2 },
          { atSecond: 60, kind: 'lambda-error', count: 1 },
        ],
      }),
    );
    expect(run.result).toMatchObject({ status: 'SUCCEEDED', instancesReplaced: 6 });
    expect(run.result.lambdaInvocations).toBe(clean.result.lambdaInvocations + 3);
    expect(run.timeline.filter((e) => e.kind === 'retried')).toHaveLength(3);
    expectKnownEndState(run, dev());
  });

  it('rides out failed launches: the refresh takes longer but completes', async () => {
    const clean = await dev().run(phoenix({ ageDays: 12 }));
    const run = await dev().run(
      scenario({
        fleet: { instances: 6, launchSeconds: 100, ageDays: 12 },
        input: { action: 'phoenix' },
        faults: [{ atSecond: 0, kind: 'launch-failure', count: 3 }],
      }),
    );
    expect(run.result).toMatchObject({ status: 'SUCCEEDED', instancesReplaced: 6 });
    // each failed launch is retried after a backoff, so the refresh itself ends later
    expect(refreshSucceededAt(run)).toBeGreaterThan(refreshSucceededAt(clean));
    expectKnownEndState(run, dev());
  });
});
