import { closeAbandoned } from '../../../lambda/ledger/abandoned';
import type { LedgerEntry } from '../../../lambda/ledger/ports';
import { FakeLedgerStore } from '../fakes/ledger-store';
import { EXECUTION_ARN, NOW } from '../fixtures';

const startedAt = '2026-03-02T08:00:00.000Z';
const arn = (name: string) => `arn:aws:states:eu-west-1:111122223333:execution:immutable-dev-rollout:${name}`;
const entry = (name: string, status: LedgerEntry['status'], o: Partial<LedgerEntry> = {}): LedgerEntry => ({
  execution: arn(name),
  executionName: name,
  startedAt,
  action: 'canary',
  trigger: 'console',
  reason: 'new image',
  status,
  ...o,
});
const statusOf = (store: FakeLedgerStore, name: string) => store.entries.get(`${startedAt}#${name}`)?.status;
const causeOf = (store: FakeLedgerStore, name: string) => store.entries.get(`${startedAt}#${name}`)?.cause;

describe('closeAbandoned', () => {
  it("closes other rollouts' open entries, and names them", async () => {
    const store = new FakeLedgerStore({
      entries: [entry('run-1', 'IN_PROGRESS'), entry('stopped', 'IN_PROGRESS'), entry('done', 'SUCCEEDED')],
    });
    expect(await closeAbandoned(store, EXECUTION_ARN, NOW)).toEqual([arn('stopped')]);
    expect(statusOf(store, 'stopped')).toBe('ABANDONED');
    expect(causeOf(store, 'stopped')).toBe(
      'ended without recording an outcome (stopped, timed out, or its last steps failed); ' +
        `closed by ${EXECUTION_ARN} at ${NOW.toISOString()}`,
    );
    // its own entry, and one already closed, stay as they are
    expect(statusOf(store, 'run-1')).toBe('IN_PROGRESS');
    expect(statusOf(store, 'done')).toBe('SUCCEEDED');
  });

  it('closes the entry of the rollout that made the current release SUCCEEDED: its release stands', async () => {
    const store = new FakeLedgerStore({
      entries: [
        entry('released', 'IN_PROGRESS', { toImage: 'ami-0123456789abcdef0' }),
        entry('stopped', 'IN_PROGRESS'),
      ],
    });
    await closeAbandoned(store, EXECUTION_ARN, NOW, arn('released'));
    expect([statusOf(store, 'released'), statusOf(store, 'stopped')]).toEqual(['SUCCEEDED', 'ABANDONED']);
    expect(causeOf(store, 'released')).toContain(
      'released ami-0123456789abcdef0, then ended without recording its outcome',
    );
  });

  it('leaves an entry its own rollout closed meanwhile', async () => {
    const store = new FakeLedgerStore({ entries: [entry('stopped', 'IN_PROGRESS')] });
    // its late finish lands between the read and the close
    const history = store.history.bind(store);
    store.history = async (limit) => {
      const entries = await history(limit);
      await store.recordEnd(startedAt, 'stopped', { status: 'FAILED', endedAt: NOW.toISOString() });
      return entries;
    };
    expect(await closeAbandoned(store, EXECUTION_ARN, NOW)).toEqual([]);
    expect(statusOf(store, 'stopped')).toBe('FAILED');
  });

  it('looks only among the newest ten entries', async () => {
    const newer = Array.from({ length: 10 }, (_, i) =>
      entry(`done-${i}`, 'SUCCEEDED', { startedAt: `2026-03-02T09:0${i}:00.000Z` }),
    );
    const store = new FakeLedgerStore({ entries: [entry('stopped', 'IN_PROGRESS'), ...newer] });
    expect(await closeAbandoned(store, EXECUTION_ARN, NOW)).toEqual([]);
    expect(statusOf(store, 'stopped')).toBe('IN_PROGRESS');
  });
});
