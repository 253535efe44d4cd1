import { ledgerOf, lockOf } from './invariants';
import { RehearsalSession } from '../../rehearsal/session';
import { synthesizedTemplates } from '../support/templates';
import { canary, NEW, RELEASED, scenario } from '../rehearsal/support';

let session: RehearsalSession;
beforeAll(() => {
  session = new RehearsalSession(synthesizedTemplates());
});

const dev = () => session.rehearsal('dev');
const stoppedCanary = () => scenario({ input: canary(NEW), faults: [{ kind: 'stop', atTransition: 15 }] });

describe('a fresh execution on the world an earlier run left', () => {
  it('starts from that world: its fleet, lock, ledger and clock', async () => {
    const first = await dev().run(stoppedCanary());
    // the canary stopped with traffic split; the lock janitor's restore put it back
    expect(first.result.automaticRestores).toEqual([{ status: 'SUCCEEDED' }]);
    expect(first.result.live.weights).toEqual({ blue: 100, green: 0 });
    const endOfFirst = first.simulator.now().getTime();

    const next = await dev().runAfter(first, { afterSeconds: 120, input: { action: 'restore' } });

    expect(next.simulator).toBe(first.simulator);
    expect(next.executions.main).toMatch(/:execution:immutable-dev-rollout:rehearsal-main-2$/);
    expect(next.timeline[0]?.t).toBe(0);
    expect(next.samples[0]?.t).toBeCloseTo((endOfFirst - Date.parse(first.scenario.startTime)) / 1000 + 120);
    expect(next.result).toMatchObject({
      status: 'SUCCEEDED',
      live: { image: RELEASED, weights: { blue: 100, green: 0 } },
    });
    expect(
      ledgerOf(next.simulator, dev().settings).map((e) => [e.execution.split(':').pop(), e.status]),
    ).toEqual([
      ['rehearsal-main', 'ABANDONED'],
      ['restore-after-rehearsal-main', 'SUCCEEDED'],
      ['rehearsal-main-2', 'SUCCEEDED'],
    ]);
    expect(lockOf(next.simulator, dev().settings)).toBeUndefined();
  });

  it('leaves the earlier run as it was', async () => {
    const first = await dev().run(stoppedCanary());
    const samples = first.samples.length;
    const timeline = first.timeline.length;
    await dev().runAfter(first, { input: { action: 'phoenix', force: true } });
    expect(first.samples).toHaveLength(samples);
    expect(first.timeline).toHaveLength(timeline);
  });

  it("times its faults from its own start, and inherits no burst the earlier run's executions never met", async () => {
    // The burst comes after the dry run has ended: no call meets it.
    const first = await dev().run(
      scenario({
        input: { action: 'phoenix', dryRun: true },
        faults: [{ kind: 'throttle', atSecond: 30, calls: 3 }],
      }),
    );
    const clean = await dev().runAfter(first, { input: { action: 'phoenix', dryRun: true } });
    expect(clean.timeline.filter((e) => e.kind === 'retried')).toEqual([]);

    const throttled = await dev().runAfter(clean, {
      input: { action: 'phoenix', force: true },
      faults: [{ kind: 'throttle', atSecond: 100, calls: 1 }],
    });
    const retried = throttled.timeline.filter((e) => e.kind === 'retried');
    expect(retried).toHaveLength(1);
    expect(retried[0]?.t).toBeGreaterThanOrEqual(100);
  });

  it('fails when the earlier run rehearsed another environment', async () => {
    const first = await dev().run(scenario({ input: { action: 'phoenix', dryRun: true } }));
    await expect(
      session.rehearsal('staging').runAfter(first, { input: { action: 'phoenix' } }),
    ).rejects.toThrow('runAfter: the previous run rehearsed dev, not staging');
  });

  it('fails when the next execution has an unknown field, naming it', async () => {
    const first = await dev().run(scenario({ input: { action: 'phoenix', dryRun: true } }));
    await expect(
      dev().runAfter(first, { input: { action: 'phoenix' }, afterSecond: 5 } as never),
    ).rejects.toThrow('runAfter is not a valid next execution:\nafterSecond is not a known field');
  });
});
