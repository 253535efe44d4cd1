import { retireWarmColour } from '../../../lambda/fleet/retire';
import type { FleetRecord } from '../../../lambda/shared/documents';
import { FakeFleetGroups } from '../fakes/fleet-groups';
import { FakeLedgerStore } from '../fakes/ledger-store';
import { at, execution, EXECUTION_ARN, fleet, instances, NEW_AMI, NOW, OLD_AMI, settings } from '../fixtures';

const s = settings();
const OWNER = `${EXECUTION_ARN}#retire`;

/** The record the release wrote: green live on the new image, blue kept warm on the old one. */
const released: FleetRecord = fleet({
  liveColour: 'green',
  releasedImage: NEW_AMI,
  previousImage: OLD_AMI,
  warm: { colour: 'blue', image: OLD_AMI, until: NOW.toISOString() },
  generation: 6,
});

let store: FakeLedgerStore;
let groups: FakeFleetGroups;

beforeEach(() => {
  store = new FakeLedgerStore({ record: released });
  groups = new FakeFleetGroups()
    .put('immutable-dev-blue', { desired: 4, instances: instances(4, 10) })
    .put('immutable-dev-green', { desired: 4, instances: instances(4) });
});

const stored = (r: FleetRecord | undefined) => {
  store.record = r;
};
const retire = (f: FleetRecord = released) =>
  retireWarmColour({ settings: s, execution: execution(), fleet: f }, { store, groups, now: NOW });
const statePuts = () => store.writes.filter((w) => w.method === 'replaceFleet');
const releases = () => store.writes.filter((w) => w.method === 'release');

describe('retireWarmColour when the fleet is as the release left it', () => {
  it('scales the warm colour to zero and reports it', async () => {
    expect(await retire()).toEqual({
      retired: true,
      reason: `blue (${OLD_AMI}) scaled to zero after the scale-down delay`,
    });
    expect(groups.changes).toEqual([{ name: 'immutable-dev-blue', min: 0, desired: 0 }]);
  });

  it('takes the lock for five minutes under its own owner, and releases it', async () => {
    await retire();
    expect(store.writes.filter((w) => w.method === 'acquire')).toEqual([
      {
        method: 'acquire',
        lock: {
          owner: OWNER,
          action: 'retire',
          acquiredAt: NOW.toISOString(),
          expiresAt: Math.floor(NOW.getTime() / 1000) + 300,
        },
      },
    ]);
    expect(releases()).toEqual([{ method: 'release', owner: OWNER }]);
    expect(store.lock).toBeUndefined();
  });

  it('removes the warm colour from the record at the same generation', async () => {
    await retire();
    const { warm: _warm, ...rest } = released;
    expect(statePuts()).toEqual([{ method: 'replaceFleet', record: rest }]);
    expect(store.record).toEqual(rest);
  });

  it('still releases the lock when scaling fails, and reports the failure', async () => {
    groups.failures.on('update', Object.assign(new Error('slow'), { name: 'Throttling' }));
    await expect(retire()).rejects.toMatchObject({ name: 'Throttling' });
    expect(releases()).toHaveLength(1);
    expect(store.lock).toBeUndefined();
  });
});

describe('retireWarmColour when the fleet moved on', () => {
  it('does nothing when no colour is kept warm', async () => {
    const { warm: _warm, ...none } = released;
    expect(await retire(none)).toEqual({ retired: false, reason: 'no colour is kept warm' });
    expect(store.calls).toHaveLength(0);
    expect(groups.reads).toHaveLength(0);
    expect(groups.changes).toHaveLength(0);
  });

  const holding = (owner = 'arn:…:execution:immutable-dev-rollout:next') => {
    store.lock = {
      owner,
      action: 'canary',
      acquiredAt: at(-60).toISOString(),
      expiresAt: Math.floor(at(4 * 3600).getTime() / 1000),
    };
    return store.lock;
  };
  const retireAt = (now: Date, started = NOW) =>
    retireWarmColour(
      { settings: s, execution: { ...execution(), startedAt: started.toISOString() }, fleet: released },
      { store, groups, now },
    );

  it('waits and tries again, leaving the lock alone, when another execution holds the fleet', async () => {
    const next = holding();
    expect(await retire()).toEqual({
      retired: false,
      reason: 'arn:…:execution:immutable-dev-rollout:next holds the fleet; trying again in 60 s',
      waitSeconds: 60,
    });
    expect(groups.changes).toHaveLength(0);
    expect(releases()).toHaveLength(0);
    expect(store.lock).toEqual(next);
  });

  it('waits half as long as the colour is overdue, between one and fifteen minutes', async () => {
    holding();
    expect((await retireAt(at(600))).waitSeconds).toBe(300);
    expect((await retireAt(at(7200))).waitSeconds).toBe(900);
  });

  it('gives up, saying so, rather than wait past its own execution timeout', async () => {
    holding();
    // started 2 h 58 min ago; the dev timeout is 3 h
    expect(await retireAt(NOW, at(-(3 * 3600 - 120)))).toEqual({
      retired: false,
      reason:
        'arn:…:execution:immutable-dev-rollout:next still holds the fleet as this execution nears its timeout; the next rollout retires blue',
    });
  });

  it('retires once the lock is free again', async () => {
    holding();
    expect((await retireAt(at(60))).waitSeconds).toBe(60);
    store.lock = undefined;
    expect((await retireAt(at(120))).retired).toBe(true);
  });

  it('retires it after a rotation of the live colour changed the record meanwhile', async () => {
    stored({ ...released, versions: { blue: '7', green: '9' }, generation: 7 });
    expect((await retire()).retired).toBe(true);
    expect(groups.changes).toEqual([{ name: s.groups.blue, min: 0, desired: 0 }]);
  });

  it('skips when another release replaced the warm colour, releasing its lock', async () => {
    stored({
      ...released,
      releasedImage: OLD_AMI,
      warm: { colour: 'blue', image: NEW_AMI, until: at(900).toISOString() },
      generation: 7,
    });
    expect(await retire()).toEqual({
      retired: false,
      reason: 'the fleet changed since this release; nothing to retire',
    });
    expect(groups.changes).toHaveLength(0);
    expect(statePuts()).toHaveLength(0);
    expect(releases()).toHaveLength(1);
  });

  it('skips when the warm colour is no longer the one this release left', async () => {
    stored({ ...released, warm: { colour: 'green', image: NEW_AMI, until: at(300).toISOString() } });
    expect((await retire()).retired).toBe(false);
    expect(groups.changes).toHaveLength(0);
  });

  it('skips when a rollback already retired it', async () => {
    const { warm: _warm, ...none } = released;
    stored(none);
    expect((await retire()).retired).toBe(false);
    expect(groups.changes).toHaveLength(0);
  });
});
