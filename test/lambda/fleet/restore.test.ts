import { restoreSafeState } from '../../../lambda/fleet/restore';
import type { FleetRecord } from '../../../lambda/shared/documents';
import { FakeFleetGroups } from '../fakes/fleet-groups';
import type { GroupSpec } from '../fakes/fleet-groups';
import { FakeInstanceRefreshes } from '../fakes/instance-refreshes';
import { FakeListener } from '../fakes/listener';
import { at, execution, fleet, instances, NOW, OLDER_AMI, settings } from '../fixtures';

const s = settings();

let listener: FakeListener;
let groups: FakeFleetGroups;
let refreshes: FakeInstanceRefreshes;

/** Blue serves four instances; the listener, green and blue's last refresh are what the test says. */
function world(o: { weights?: [number, number]; green?: GroupSpec; refresh?: string; blueVersion?: string }) {
  const [blue, green] = o.weights ?? [100, 0];
  listener = new FakeListener(s, { blue, green });
  groups = new FakeFleetGroups()
    .put('immutable-dev-blue', { desired: 4, instances: instances(4), version: o.blueVersion ?? '7' })
    .put('immutable-dev-green', o.green ?? { min: 0, desired: 0 });
  refreshes = new FakeInstanceRefreshes(NOW);
  if (o.refresh) refreshes.add({ id: 'ir-9', group: 'immutable-dev-blue', status: o.refresh });
}

const restore = (f: FleetRecord = fleet(), dryRun?: boolean) =>
  restoreSafeState(
    { settings: s, execution: execution(), fleet: f, dryRun: dryRun ?? false },
    { listener, groups, refreshes, now: NOW },
  );

describe('restoreSafeState when all is well', () => {
  it('changes nothing and reports no action', async () => {
    world({});
    expect(await restore()).toEqual({ actions: [] });
    expect(listener.changes).toHaveLength(0);
    expect(refreshes.cancels).toHaveLength(0);
    expect(groups.changes).toHaveLength(0);
  });

  it('looks only at the newest refresh of the live group', async () => {
    world({});
    refreshes
      .add({ id: 'ir-old', group: 'immutable-dev-blue', status: 'Cancelled' })
      .add({ id: 'ir-idle', group: 'immutable-dev-green', status: 'InProgress' })
      .add({ id: 'ir-new', group: 'immutable-dev-blue', status: 'Successful' });
    expect(await restore()).toEqual({ actions: [] });
    expect(refreshes.cancels).toHaveLength(0);
  });
});

describe('restoreSafeState puts traffic back on the live colour', () => {
  it('sends everything to the live colour when a canary left weights behind', async () => {
    world({ weights: [50, 50] });
    expect(await restore()).toEqual({ actions: ['listener weights 50/50 → all on blue'] });
    expect(listener.changes).toEqual([{ blue: 100, green: 0 }]);
    expect(await listener.weights(s)).toEqual({ blue: 100, green: 0 });
  });

  it('knows green can be the live colour', async () => {
    world({ weights: [100, 0], green: { desired: 4, instances: instances(4, 10) } });
    const r = await restore(fleet({ liveColour: 'green' }));
    expect(r.actions).toContain('listener weights 100/0 → all on green');
  });
});

describe('restoreSafeState stops an unwatched refresh', () => {
  it.each(['Pending', 'InProgress', 'Baking'] as const)('cancels a refresh left %s', async (status) => {
    world({ refresh: status });
    expect((await restore()).actions).toEqual([
      `cancelled instance refresh ir-9 (${status}) on immutable-dev-blue`,
    ]);
    expect(refreshes.cancels).toEqual(['immutable-dev-blue']);
  });

  it.each([
    'Successful',
    'Failed',
    'Cancelled',
    'Cancelling',
    'RollbackInProgress',
    'RollbackSuccessful',
  ] as const)('leaves a refresh that is %s alone', async (status) => {
    world({ refresh: status });
    await restore();
    expect(refreshes.cancels).toHaveLength(0);
  });
});

describe('restoreSafeState rests the idle colour', () => {
  it('scales an idle colour that still has capacity to zero', async () => {
    world({ green: { min: 2, desired: 4, instances: instances(4, 10) } });
    expect((await restore()).actions).toEqual(['scaled idle green group immutable-dev-green from 4 to 0']);
    expect(groups.changes).toEqual([{ name: 'immutable-dev-green', min: 0, desired: 0 }]);
  });

  it('scales to zero an idle colour whose minimum alone would keep instances', async () => {
    world({ green: { min: 1, desired: 0 } });
    await restore();
    expect(groups.changes).toHaveLength(1);
  });

  it('keeps the previous release warm until its deadline', async () => {
    world({ green: { min: 2, desired: 4, version: '6', instances: instances(4, 10) } });
    const warm = { colour: 'green' as const, image: OLDER_AMI, until: at(1).toISOString() };
    expect(await restore(fleet({ warm }))).toEqual({ actions: [] });
    expect(groups.changes).toHaveLength(0);
  });

  it('scales to zero a warm colour that a failed canary has taken over', async () => {
    // the record still names version 6 (the warm release); the canary moved green to version 8
    world({ green: { min: 2, desired: 4, version: '8', instances: instances(4, 10) } });
    const warm = { colour: 'green' as const, image: OLDER_AMI, until: at(600).toISOString() };
    expect((await restore(fleet({ warm }))).actions).toEqual([
      'scaled idle green group immutable-dev-green from 4 to 0',
    ]);
  });

  it('scales the warm colour to zero once its deadline has passed', async () => {
    world({ green: { min: 2, desired: 4, instances: instances(4, 10) } });
    const warm = { colour: 'green' as const, image: OLDER_AMI, until: NOW.toISOString() };
    await restore(fleet({ warm }));
    expect(groups.changes).toEqual([{ name: 'immutable-dev-green', min: 0, desired: 0 }]);
  });

  it('does not take a warm record naming the live colour as a reason to keep the idle one', async () => {
    world({ green: { min: 2, desired: 4, instances: instances(4, 10) } });
    const warm = { colour: 'blue' as const, image: OLDER_AMI, until: at(600).toISOString() };
    await restore(fleet({ warm }));
    expect(groups.changes).toHaveLength(1);
  });
});

describe('restoreSafeState after a failed canary', () => {
  it('does every repair at once and reports each', async () => {
    world({
      weights: [50, 50],
      green: { min: 2, desired: 4, instances: instances(4, 10) },
      refresh: 'InProgress',
    });
    expect((await restore()).actions).toEqual([
      'listener weights 50/50 → all on blue',
      'cancelled instance refresh ir-9 (InProgress) on immutable-dev-blue',
      'scaled idle green group immutable-dev-green from 4 to 0',
    ]);
  });
});

describe('restoreSafeState in a dry run', () => {
  it('reports every repair it would make and makes none', async () => {
    world({
      weights: [50, 50],
      green: { min: 2, desired: 4, instances: instances(4, 10) },
      refresh: 'InProgress',
    });
    const r = await restore(fleet(), true);
    expect(r).toEqual({
      dryRun: true,
      actions: [
        'listener weights 50/50 → all on blue',
        'cancelled instance refresh ir-9 (InProgress) on immutable-dev-blue',
        'scaled idle green group immutable-dev-green from 4 to 0',
      ],
    });
    expect(listener.changes).toEqual([]);
    expect(refreshes.cancels).toEqual([]);
    expect(groups.changes).toEqual([]);
  });
});

describe('restoreSafeState after a rotation that was stopped', () => {
  it('reports the version its refresh, finished on its own, left on the live group', async () => {
    world({ blueVersion: '8', refresh: 'Successful' });
    expect(await restore()).toEqual({ actions: [], liveVersion: { colour: 'blue', version: '8' } });
    expect(groups.changes).toHaveLength(0);
  });

  it('reports nothing while it cancels a refresh still running: the group keeps its version', async () => {
    world({ blueVersion: '8', refresh: 'InProgress' });
    expect((await restore()).liveVersion).toBeUndefined();
  });
});

describe('restoreSafeState while a refresh of the live group is stopping', () => {
  it('asks to look again once it has cancelled a running refresh', async () => {
    world({ refresh: 'InProgress' });
    expect((await restore()).waitSeconds).toBe(30);
  });

  it.each(['Cancelling', 'RollbackInProgress'] as const)(
    'asks to look again, and cancels nothing, while the refresh is %s',
    async (status) => {
      world({ refresh: status });
      expect(await restore()).toEqual({ actions: [], waitSeconds: 30 });
      expect(refreshes.cancels).toHaveLength(0);
    },
  );

  it.each(['Successful', 'Cancelled', 'RollbackSuccessful', 'Failed'] as const)(
    'does not wait for a refresh that is %s',
    async (status) => {
      world({ refresh: status });
      expect((await restore()).waitSeconds).toBeUndefined();
    },
  );
});
