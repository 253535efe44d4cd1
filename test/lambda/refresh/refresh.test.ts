import { checkRefresh, refreshPreferences, startRefresh } from '../../../lambda/refresh/refresh';
import type { RefreshStart } from '../../../lambda/refresh/ports';
import { FleetNotReady, RefreshFailed } from '../../../lambda/shared/errors';
import type { RefreshProgress } from '../../../lambda/shared/documents';
import { FakeInstanceRefreshes } from '../fakes/instance-refreshes';
import type { FakeRefresh } from '../fakes/instance-refreshes';
import { FakeLaunchTemplates } from '../fakes/launch-templates';
import { at, execution, LAUNCH_TEMPLATE, NOW, OLD_AMI, refreshPlan, settings } from '../fixtures';

let refreshes: FakeInstanceRefreshes;
let templates: FakeLaunchTemplates;

beforeEach(() => {
  refreshes = new FakeInstanceRefreshes(NOW);
  // the template's latest version is 7: the next one is 8
  templates = new FakeLaunchTemplates({ [LAUNCH_TEMPLATE]: 7 });
});

const deps = () => ({ refreshes, templates, now: NOW });
const start = () =>
  startRefresh({ settings: settings(), execution: execution(), plan: refreshPlan() }, deps());

describe('startRefresh creates an explicit launch-template version', () => {
  it('on the released image, saying who made it', async () => {
    await start();
    expect(templates.created).toEqual([
      {
        templateId: LAUNCH_TEMPLATE,
        version: '8',
        imageId: OLD_AMI,
        description: `phoenix ${OLD_AMI} by run-1`,
      },
    ]);
  });

  it('starts no refresh when the version cannot be created', async () => {
    templates.failures.on(
      'createVersion',
      Object.assign(new Error('too many'), { name: 'VersionLimitExceeded' }),
    );
    await expect(start()).rejects.toMatchObject({ name: 'VersionLimitExceeded' });
    expect(refreshes.refreshes).toHaveLength(0);
  });
});

describe('startRefresh starts the instance refresh', () => {
  it('onto the new version, with the preferences exactly', async () => {
    await start();
    expect(refreshes.refreshes).toEqual([
      expect.objectContaining({
        group: 'immutable-dev-blue',
        target: { launchTemplateId: LAUNCH_TEMPLATE, version: '8' },
        preferences: refreshPreferences(settings().refresh, ['immutable-dev-blue-5xx']),
      }),
    ]);
  });

  it("uses the refreshed colour's alarms", async () => {
    await startRefresh(
      {
        settings: settings(),
        execution: execution(),
        plan: refreshPlan({ colour: 'green', group: 'immutable-dev-green' }),
      },
      deps(),
    );
    expect(refreshes.refreshes[0]).toMatchObject({
      group: 'immutable-dev-green',
      preferences: { AlarmSpecification: { Alarms: ['immutable-dev-green-5xx'] } },
    });
  });

  it('returns the first poll, timed for the expected end of the refresh', async () => {
    // 4 instances at 50-150 %: one batch of 120 s boot + 60 s warmup
    expect(await start()).toEqual({
      refreshId: 'ir-1',
      version: '8',
      status: 'Pending',
      percentageComplete: 0,
      done: false,
      waitSeconds: 180,
      startedAt: NOW.toISOString(),
    });
  });

  it('propagates errors other than a refresh in progress', async () => {
    refreshes.failures.on('start', Object.assign(new Error('bad'), { name: 'ValidationError' }));
    await expect(start()).rejects.toMatchObject({ name: 'ValidationError' });
    expect(refreshes.reads).toHaveLength(0);
  });
});

describe('startRefresh after a retry', () => {
  /** The refresh already running on the group when the start is retried. */
  const running = (o: Partial<FakeRefresh> = {}) =>
    refreshes.add({
      id: 'ir-first',
      group: 'immutable-dev-blue',
      status: 'InProgress',
      startedAt: at(-20),
      target: { launchTemplateId: LAUNCH_TEMPLATE, version: '7' },
      ...o,
    });

  it('adopts the refresh its own first attempt started, with the version that refresh runs', async () => {
    running();
    const progress = await start();
    expect(progress).toMatchObject({ refreshId: 'ir-first', version: '7', status: 'Pending', done: false });
    expect(refreshes.reads).toEqual([{ group: 'immutable-dev-blue', refreshId: 'latest' }]);
    expect(refreshes.refreshes).toHaveLength(1);
  });

  it('fails when the running refresh started before this execution, naming it', async () => {
    running({ id: 'ir-foreign', startedAt: at(-3600) });
    const error = await start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FleetNotReady);
    expect((error as Error).message).toBe(
      'another instance refresh (ir-foreign, InProgress) is running on immutable-dev-blue; ' +
        'let it finish or cancel it, then start again',
    );
  });

  it('fails when the running refresh uses another launch template', async () => {
    running({ target: { launchTemplateId: 'lt-0fffffffffffffff0' } });
    await expect(start()).rejects.toBeInstanceOf(FleetNotReady);
  });

  it('fails when the refresh that blocked the start has vanished', async () => {
    running();
    // the blocking refresh is gone by the time the start looks for it
    const start = refreshes.start.bind(refreshes);
    refreshes.start = async (...args): Promise<RefreshStart> => {
      const blocked = await start(...args);
      refreshes.refreshes.length = 0;
      return blocked;
    };
    await expect(
      startRefresh({ settings: settings(), execution: execution(), plan: refreshPlan() }, deps()),
    ).rejects.toThrow('another instance refresh (unknown, unknown) is running');
  });
});

describe('checkRefresh', () => {
  const progress = (o: Partial<RefreshProgress> = {}): RefreshProgress => ({
    refreshId: 'ir-1',
    version: '8',
    status: 'Pending',
    percentageComplete: 0,
    done: false,
    waitSeconds: 180,
    startedAt: at(-100).toISOString(),
    ...o,
  });
  const check = (o: Partial<RefreshProgress> = {}) =>
    checkRefresh(
      { settings: settings(), execution: execution(), plan: refreshPlan(), progress: progress(o) },
      { refreshes, now: NOW },
    );
  /** Auto Scaling reports refresh ir-1 of the blue group so. */
  const reports = (r: Partial<FakeRefresh>) =>
    refreshes.add({ id: 'ir-1', group: 'immutable-dev-blue', ...r });

  it('reads exactly its own refresh', async () => {
    reports({ status: 'InProgress', percentageComplete: 0, startedAt: at(-100) });
    refreshes.add({ id: 'ir-2', group: 'immutable-dev-blue', status: 'Failed' });
    refreshes.add({ id: 'ir-1', group: 'immutable-dev-green', status: 'Failed' });
    expect(await check()).toMatchObject({ status: 'InProgress' });
    expect(refreshes.reads).toEqual([{ group: 'immutable-dev-blue', refreshId: 'ir-1' }]);
  });

  it.each(['Pending', 'InProgress', 'Baking', 'Cancelling', 'RollbackInProgress'])(
    'keeps waiting while %s',
    async (status) => {
      reports({ status, percentageComplete: 25, startedAt: at(-100) });
      const p = await check();
      expect(p).toMatchObject({ status, percentageComplete: 25, done: false, version: '8' });
      expect(p.waitSeconds).toBeGreaterThanOrEqual(15);
      expect(p.waitSeconds).toBeLessThanOrEqual(600);
    },
  );

  it('waits as long as the observed pace says the rest will take', async () => {
    reports({ status: 'InProgress', percentageComplete: 50, startedAt: at(-100) });
    expect((await check()).waitSeconds).toBe(100);
  });

  it('aims at the expected end before the first batch completes', async () => {
    // expected 180 s for one batch; 100 s have passed
    reports({ status: 'InProgress', percentageComplete: 0, startedAt: at(-100) });
    expect((await check()).waitSeconds).toBe(80);
  });

  it('falls back to the start time it recorded when the refresh has none', async () => {
    reports({ status: 'Pending' });
    expect((await check({ startedAt: at(-30).toISOString() })).waitSeconds).toBe(150);
  });

  it('is done, with no wait, when Successful', async () => {
    reports({ status: 'Successful', percentageComplete: 100, startedAt: at(-300) });
    expect(await check()).toMatchObject({ status: 'Successful', done: true, waitSeconds: 0, version: '8' });
  });

  it.each(['Failed', 'Cancelled', 'RollbackSuccessful', 'RollbackFailed'])(
    'fails with RefreshFailed when %s',
    async (status) => {
      reports({ status, percentageComplete: 40 });
      await expect(check()).rejects.toBeInstanceOf(RefreshFailed);
    },
  );

  it('fails with a cause that carries status, progress, reason and rollback reason', async () => {
    reports({
      status: 'RollbackSuccessful',
      percentageComplete: 50,
      statusReason: 'Alarm immutable-dev-blue-5xx went into ALARM',
      rollbackReason: 'CloudWatch alarm threshold was breached',
    });
    await expect(check()).rejects.toThrow(
      'instance refresh ir-1 on immutable-dev-blue ended RollbackSuccessful; 50 % replaced; ' +
        'reason: Alarm immutable-dev-blue-5xx went into ALARM; rollback: CloudWatch alarm threshold was breached; ' +
        'the group is back on its previous launch-template version',
    );
  });

  it('fails loudly when the rollback itself failed', async () => {
    reports({ status: 'RollbackFailed', percentageComplete: 30 });
    await expect(check()).rejects.toThrow(
      'the rollback itself failed: inspect the group before the next rollout',
    );
  });

  it('fails when the refresh no longer exists', async () => {
    await expect(check()).rejects.toThrow(
      new RefreshFailed('instance refresh ir-1 on immutable-dev-blue no longer exists'),
    );
  });

  it('fails on a status it does not know rather than waiting forever', async () => {
    reports({ status: 'Paused' });
    await expect(check()).rejects.toThrow('instance refresh ir-1 reported unknown status Paused');
  });
});
