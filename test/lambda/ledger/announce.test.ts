import { announceRelease } from '../../../lambda/ledger/announce';
import { imageReleasedDetailSchema } from '../../../lambda/shared/events';
import { FakeLedgerStore } from '../fakes/ledger-store';
import { FakeProductEvents } from '../fakes/product-events';
import { EXECUTION_ARN, NEW_AMI, NOW, OLD_AMI, execution, fleet, settings } from '../fixtures';

let events: FakeProductEvents;
beforeEach(() => {
  events = new FakeProductEvents();
});

const released = fleet({
  liveColour: 'green',
  releasedImage: NEW_AMI,
  previousImage: OLD_AMI,
  releasedAt: NOW.toISOString(),
  releasedBy: EXECUTION_ARN,
  releasedAction: 'canary',
  releasedTrigger: 'image-factory',
  generation: 5,
});
const announce = (store: FakeLedgerStore, dryRun = false) =>
  announceRelease({ settings: settings(), execution: execution(), dryRun }, { store, events, now: NOW });

describe('announceRelease', () => {
  it('announces a release not yet announced, and records that it did at the same generation', async () => {
    const store = new FakeLedgerStore({ record: released });
    const detail = {
      environment: 'dev',
      imageId: NEW_AMI,
      previousImage: OLD_AMI,
      action: 'canary',
      trigger: 'image-factory',
      execution: EXECUTION_ARN,
      releasedAt: NOW.toISOString(),
    };
    expect(
      await announceRelease(
        { settings: settings(), execution: execution(), dryRun: false },
        { store, events, now: NOW },
      ),
    ).toEqual({
      announced: true,
      detail,
    });
    expect(events.published).toEqual([{ source: 'immutable.rollout', detailType: 'Image Released', detail }]);
    expect(imageReleasedDetailSchema.parse(detail)).toEqual(detail);
    expect(store.record).toEqual({ ...released, announcedAt: NOW.toISOString() });
  });

  it('announces a release once, however many rollouts end after it', async () => {
    const store = new FakeLedgerStore({ record: released });
    await announce(store);
    expect(await announce(store)).toEqual({ announced: false, reason: `announced at ${NOW.toISOString()}` });
    expect(events.published).toHaveLength(1);
  });

  it('announces a rollback as one, which downstream environments do not promote', async () => {
    const store = new FakeLedgerStore({ record: { ...released, releasedAction: 'rollback' } });
    expect(await announce(store)).toMatchObject({ announced: true, detail: { action: 'rollback' } });
  });

  it('announces nothing for a fleet no rollout released (a deploy put its image in place)', async () => {
    const { releasedAt: _a, releasedBy: _b, ...seeded } = released;
    const store = new FakeLedgerStore({ record: seeded });
    expect(await announce(store)).toEqual({ announced: false, reason: 'no release to announce' });
    expect(events.published).toEqual([]);
  });

  it('announces nothing on a dry run', async () => {
    const store = new FakeLedgerStore({ record: released });
    expect(await announce(store, true)).toEqual({ announced: false, reason: 'a dry run announces nothing' });
    expect(store.calls).toEqual([]);
  });

  it('leaves the release unannounced when EventBridge refuses it, so the next rollout announces it', async () => {
    const store = new FakeLedgerStore({ record: released });
    events.failures.on('publish', Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));
    await expect(announce(store)).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(store.record?.announcedAt).toBeUndefined();
  });
});
