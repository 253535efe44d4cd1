import type { RehearsalRun } from '../../rehearsal/runner';
import type { RehearsalSession } from '../../rehearsal/session';
import { expectKnownEndState, fleetChanges, openSession, RELEASED, scenario } from './support';

let session: RehearsalSession;
beforeAll(() => {
  session = openSession();
});

const prod = () => session.rehearsal('prod');

/** A prod fleet of six young instances (so the phoenix the run starts with skips), and a session opened on one. */
const accessScenario = (
  environment: 'prod' | 'dev',
  api: 'StartSession' | 'SendCommand' | 'SendSSHPublicKey' = 'StartSession',
  atSecond = 600,
  input: Record<string, unknown> = {
    action: 'phoenix',
    reason: 'scheduled phoenix rotation',
    trigger: 'schedule',
  },
) =>
  scenario({
    environment,
    fleet: { instances: 6, launchSeconds: 120, ageDays: 1 },
    input,
    faults: [{ kind: 'interactive-access', atSecond, api }],
  });

const lowestHealthy = (run: RehearsalRun) => Math.min(...run.samples.map((s) => s.healthyServing));

describe('prod: someone opens a session on a live instance', () => {
  let run: RehearsalRun;
  beforeAll(async () => {
    run = await prod().run(accessScenario('prod'));
  });

  it('replaces that instance through the workflow, and the replace succeeds', () => {
    expect(run.result.interactiveAccess).toEqual({
      instanceId: expect.stringMatching(/^i-/),
      api: 'StartSession',
      outcome: 'replacing',
      instanceState: 'Terminated',
      replacement: { status: 'SUCCEEDED' },
    });
    expect(run.executions.access).toMatch(/:execution:immutable-prod-rollout:access-/);
  });

  it('ends with the fleet at its size on the released image, traffic untouched', () => {
    expect(run.result.live).toEqual({
      image: RELEASED,
      weights: { blue: 100, green: 0 },
      trafficByImage: { [RELEASED]: 100 },
      instancesByImage: { [RELEASED]: 6 },
    });
    expect(run.result.instancesReplaced).toBe(1);
    expect(fleetChanges(run)).toMatchObject({
      UpdateAutoScalingGroup: 1,
      DetachInstances: 1,
      TerminateInstances: 1,
    });
    expect(fleetChanges(run)).not.toHaveProperty('ModifyListener');
  });

  it('never serves with fewer healthy instances than the fleet had, well above the minimum healthy share', () => {
    expect(lowestHealthy(run)).toBe(6);
    // minHealthyFraction divides by the group's desired capacity, which counts the replacement
    // while it boots (6 healthy of 7 desired): the fleet's own size was served healthy throughout.
    expect(run.result.minHealthyFraction).toBeCloseTo(6 / 7, 3);
    expect(lowestHealthy(run) / 6).toBeGreaterThanOrEqual(prod().settings.refresh.minHealthyPercentage / 100);
  });

  it('tags the instance with how, who and when before replacing it', () => {
    const id = run.result.interactiveAccess?.instanceId as string;
    const tagged = run.notifications.find((n) => n.message.includes(id));
    expect(tagged?.message).toMatch(
      /StartSession by arn:aws:sts::\d+:assumed-role\/Operator\/rehearsal at 20\d\d-/,
    );
  });

  it('leaves every execution in a known end state', () => {
    expectKnownEndState(run, prod());
  });
});

describe('dev: interactive access is only reported', () => {
  it('tags and notifies, and replaces nothing', async () => {
    const run = await session.rehearsal('dev').run(accessScenario('dev', 'SendSSHPublicKey'));
    expect(run.result.interactiveAccess).toMatchObject({ outcome: 'alerted', instanceState: 'InService' });
    expect(run.result.interactiveAccess?.replacement).toBeUndefined();
    expect(run.result.instancesReplaced).toBe(0);
  });
});

describe('prod: a session opened while a rollout holds the lock', () => {
  it('defers the replace instead of starting one the lock would refuse', async () => {
    const run = await prod().run(
      accessScenario('prod', 'SendCommand', 1, { action: 'phoenix', force: true, reason: 'rotate now' }),
    );
    expect(run.result.interactiveAccess).toMatchObject({ outcome: 'deferred' });
    expect(run.executions.access).toBeUndefined();
  });
});
