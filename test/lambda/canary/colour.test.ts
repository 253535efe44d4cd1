import { checkCanary, prepareCanary } from '../../../lambda/canary/colour';
import type { PreparedCanary } from '../../../lambda/canary/colour';
import { CanaryUnhealthy } from '../../../lambda/shared/errors';
import type { CanaryPlan } from '../../../lambda/shared/documents';
import { FakeFleetGroups } from '../fakes/fleet-groups';
import type { GroupSpec } from '../fakes/fleet-groups';
import { FakeLaunchTemplates } from '../fakes/launch-templates';
import { FakeTargetHealth } from '../fakes/target-health';
import {
  at,
  canaryPlan,
  execution,
  flipPlan,
  instanceId,
  instances,
  LAUNCH_TEMPLATE,
  NEW_AMI,
  NOW,
  settings,
} from '../fixtures';

const s = settings();
const GREEN_TG = s.targetGroups.green;

let groups: FakeFleetGroups;
let templates: FakeLaunchTemplates;
let targetHealth: FakeTargetHealth;

/** Blue serves four instances; green is what the test says. */
const greenGroup = (green: GroupSpec) => groups.put('immutable-dev-green', green);
/** The green target group's targets, in these states. */
const targets = (states: Record<string, string>) => targetHealth.register(GREEN_TG, states);

beforeEach(() => {
  groups = new FakeFleetGroups().put('immutable-dev-blue', { desired: 4, instances: instances(4) });
  // the template's latest version is 7: the next one is 8
  templates = new FakeLaunchTemplates({ [LAUNCH_TEMPLATE]: 7 });
  targetHealth = new FakeTargetHealth().register(s.targetGroups.blue).register(GREEN_TG);
});

const prepare = (plan: CanaryPlan = canaryPlan()) =>
  prepareCanary({ settings: s, execution: execution(), plan }, { groups, templates, now: NOW });

describe('prepareCanary on an empty idle colour', () => {
  it('creates a launch-template version on the new image', async () => {
    greenGroup({ desired: 0 });
    await prepare();
    expect(templates.created).toEqual([
      {
        templateId: LAUNCH_TEMPLATE,
        version: '8',
        imageId: NEW_AMI,
        description: `canary ${NEW_AMI} by run-1`,
      },
    ]);
  });

  it('points the idle group at it and scales it to the planned capacity', async () => {
    greenGroup({ desired: 0 });
    await prepare();
    expect(groups.changes).toEqual([
      {
        name: 'immutable-dev-green',
        launchTemplate: { id: LAUNCH_TEMPLATE, version: '8' },
        min: 2,
        max: 8,
        desired: 4,
      },
    ]);
    expect(groups.view('immutable-dev-green')).toMatchObject({ version: '8', min: 2, max: 8, desired: 4 });
  });

  it('widens the group limits when the plan needs more, or fewer, instances than they allow', async () => {
    const sizes = [];
    for (const capacity of [12, 1]) {
      greenGroup({ desired: 0 });
      await prepare(canaryPlan({ capacity }));
      const g = groups.view('immutable-dev-green');
      sizes.push([g?.min, g?.max, g?.desired]);
    }
    expect(sizes).toEqual([
      [2, 12, 12],
      [1, 8, 1],
    ]);
  });

  it('starts waiting for the instances, with a deadline', async () => {
    greenGroup({ desired: 0 });
    expect(await prepare()).toEqual({
      phase: 'launching',
      version: '8',
      capacity: 4,
      healthy: 0,
      ready: false,
      deadline: at(900).toISOString(),
      waitSeconds: 120,
      step: 0,
      weight: 0,
      done: false,
      judgements: [],
    });
  });
});

describe('prepareCanary on an occupied idle colour', () => {
  it('empties it first, already on the new version, so the canary serves nothing else', async () => {
    greenGroup({ desired: 4, instances: instances(4, 10, { version: '6' }) });
    const p = await prepare();
    expect(groups.changes).toEqual([
      {
        name: 'immutable-dev-green',
        launchTemplate: { id: LAUNCH_TEMPLATE, version: '8' },
        min: 0,
        desired: 0,
      },
    ]);
    expect(p).toMatchObject({ phase: 'draining', waitSeconds: 15, ready: false });
  });

  it('drains a group that is still launching instances it was asked for', async () => {
    greenGroup({ desired: 2, instances: [] });
    expect((await prepare()).phase).toBe('draining');
  });
});

describe('prepareCanary retried after its first attempt went through (a function timeout)', () => {
  it('reuses the version and changes nothing: the canary instances launched are kept', async () => {
    greenGroup({ desired: 0 });
    const first = await prepare();
    const again = await prepare();
    expect(templates.created).toHaveLength(1);
    expect(groups.changes).toHaveLength(1);
    expect(again).toEqual(first);
  });

  it('keeps draining an occupied idle colour the first attempt began to empty', async () => {
    greenGroup({ desired: 4, instances: instances(4, 10, { version: '6' }) });
    await prepare();
    expect(await prepare()).toMatchObject({ phase: 'draining', version: '8' });
    expect(groups.changes).toHaveLength(1);
  });
});

describe('checkCanary while draining', () => {
  const draining = (): PreparedCanary => ({
    phase: 'draining',
    version: '8',
    capacity: 4,
    healthy: 0,
    ready: false,
    deadline: at(600).toISOString(),
    waitSeconds: 15,
    step: 0,
    weight: 0,
    done: false,
    judgements: [],
  });
  const check = (progress: PreparedCanary = draining()) =>
    checkCanary(
      { settings: s, execution: execution(), plan: canaryPlan(), progress },
      { groups, targetHealth, now: NOW },
    );

  it('keeps waiting 15 s while old instances are terminating', async () => {
    greenGroup({ desired: 0, instances: instances(2, 10, { lifecycle: 'Terminating', version: '6' }) });
    expect(await check()).toMatchObject({ phase: 'draining', waitSeconds: 15, ready: false });
    expect(groups.changes).toHaveLength(0);
    expect(targetHealth.reads).toHaveLength(0);
  });

  it('scales up to the planned capacity once the group is empty', async () => {
    greenGroup({ desired: 0, instances: [] });
    expect(await check()).toMatchObject({ phase: 'launching', waitSeconds: 120 });
    expect(groups.changes).toEqual([{ name: 'immutable-dev-green', min: 2, max: 8, desired: 4 }]);
  });

  it('fails with CanaryUnhealthy when draining outlasts the deadline', async () => {
    greenGroup({ desired: 0, instances: instances(1, 10, { lifecycle: 'Terminating', version: '6' }) });
    await expect(check({ ...draining(), deadline: NOW.toISOString() })).rejects.toBeInstanceOf(
      CanaryUnhealthy,
    );
  });
});

describe('checkCanary while launching', () => {
  const launching = (o: Partial<PreparedCanary> = {}): PreparedCanary => ({
    phase: 'launching',
    version: '8',
    capacity: 4,
    healthy: 0,
    ready: false,
    deadline: at(600).toISOString(),
    waitSeconds: 120,
    step: 0,
    weight: 0,
    done: false,
    judgements: [],
    ...o,
  });
  const check = (o: Partial<PreparedCanary> = {}) =>
    checkCanary(
      { settings: s, execution: execution(), plan: canaryPlan(), progress: launching(o) },
      { groups, targetHealth, now: NOW },
    );

  it("reads the canary colour's target group", async () => {
    greenGroup({ instances: instances(4, 10, { version: '8' }) });
    targets({});
    await check();
    expect(targetHealth.reads).toEqual([GREEN_TG]);
  });

  it('is ready once the planned capacity is healthy on the new version', async () => {
    greenGroup({ instances: instances(4, 10, { version: '8' }) });
    targets(Object.fromEntries(instances(4, 10).map((i) => [i.id, 'healthy'])));
    expect(await check()).toMatchObject({ phase: 'launching', healthy: 4, ready: true, waitSeconds: 0 });
  });

  it('counts only healthy targets that are InService instances on the new version', async () => {
    greenGroup({
      instances: [
        ...instances(2, 10, { version: '8' }), // counted
        { id: instanceId(12), version: '6' }, // an old version still registered
        { id: instanceId(13), lifecycle: 'Pending', version: '8' }, // not in service yet
        { id: instanceId(14), version: '8' }, // in service, but its target is unhealthy
      ],
    });
    targets({
      [instanceId(10)]: 'healthy',
      [instanceId(11)]: 'healthy',
      [instanceId(12)]: 'healthy',
      [instanceId(13)]: 'healthy',
      [instanceId(14)]: 'unhealthy',
      [instanceId(99)]: 'healthy', // not a member of the group at all
    });
    expect(await check()).toMatchObject({ healthy: 2, ready: false });
  });

  it.each(['initial', 'unhealthy', 'draining', 'unused', 'unavailable'])(
    'does not count %s targets',
    async (state) => {
      greenGroup({ instances: instances(4, 10, { version: '8' }) });
      targets(Object.fromEntries(instances(4, 10).map((i) => [i.id, state])));
      expect(await check()).toMatchObject({ healthy: 0, ready: false });
    },
  );

  it('polls a quarter of the boot time apart while instances come up', async () => {
    greenGroup({ instances: instances(4, 10, { version: '8' }) });
    targets({ [instanceId(10)]: 'healthy' });
    expect(await check()).toMatchObject({ healthy: 1, waitSeconds: 30 });
  });

  it('never waits past the deadline', async () => {
    greenGroup({ instances: instances(4, 10, { version: '8' }) });
    targets({});
    expect((await check({ deadline: at(20).toISOString() })).waitSeconds).toBe(20);
  });

  it('fails with CanaryUnhealthy after the deadline, with the counts by lifecycle state', async () => {
    greenGroup({
      instances: [
        ...instances(3, 10, { version: '8' }),
        { id: instanceId(13), lifecycle: 'Pending', version: '8' },
      ],
    });
    targets({ [instanceId(10)]: 'healthy', [instanceId(11)]: 'healthy', [instanceId(12)]: 'unhealthy' });
    await expect(check({ deadline: at(-1).toISOString() })).rejects.toThrow(
      new CanaryUnhealthy(
        '2 of 4 canary instances in immutable-dev-green became healthy before the deadline ' +
          '(4 instances: 3 InService, 1 Pending)',
      ),
    );
  });

  it('still succeeds at the deadline when the capacity is healthy', async () => {
    greenGroup({ instances: instances(4, 10, { version: '8' }) });
    targets(Object.fromEntries(instances(4, 10).map((i) => [i.id, 'healthy'])));
    expect((await check({ deadline: at(-1).toISOString() })).ready).toBe(true);
  });
});

describe('checkCanary before a rollback flips to the warm colour', () => {
  // The flip's own deadline is the moment it was planned: nothing is waited for.
  const check = () =>
    checkCanary(
      {
        settings: s,
        execution: execution(),
        plan: flipPlan(),
        progress: {
          phase: 'launching',
          version: flipPlan().version,
          capacity: flipPlan().capacity,
          healthy: 0,
          ready: false,
          deadline: flipPlan().healthyBy,
          waitSeconds: 0,
          step: 0,
          weight: 0,
          done: false,
          judgements: [],
        },
      },
      { groups, targetHealth, now: at(1) },
    );

  it('is ready when the warm colour has as many healthy targets on its version as the live colour', async () => {
    greenGroup({ desired: 4, instances: instances(4, 10, { version: '6' }) });
    targets(Object.fromEntries(instances(4, 10).map((i) => [i.id, 'healthy'])));
    expect(await check()).toMatchObject({ healthy: 4, ready: true });
  });

  it('fails with CanaryUnhealthy at once when its targets are not healthy', async () => {
    greenGroup({ desired: 4, instances: instances(4, 10, { version: '6' }) });
    targets(Object.fromEntries(instances(4, 10).map((i) => [i.id, 'unhealthy'])));
    await expect(check()).rejects.toThrow(CanaryUnhealthy);
  });
});
