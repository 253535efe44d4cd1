import type { LedgerEntry } from '../../../lambda/ledger/ports';
import { AUTOMATIC_RESTORES_PER_HOUR } from '../../../lambda/shared/recovery';
import { releaseAbandonedLock, restoreName } from '../../../lambda/triggers/abandoned-lock';
import { at, fleet, NOW } from '../fixtures';
import { FakeExecutions } from '../fakes/executions';
import { FakeLedgerStore } from '../fakes/ledger-store';
import { awsError } from '../aws-errors';
import { ENDED_EXECUTION_ARN, executionStatusChange, STATE_MACHINE_ARN } from './events';

let store: FakeLedgerStore;
let executions: FakeExecutions;

/** The ended execution's ledger entry. */
const entry = (o: Partial<LedgerEntry> = {}): LedgerEntry => ({
  execution: ENDED_EXECUTION_ARN,
  executionName: 'execution-name',
  startedAt: at(-600).toISOString(),
  action: 'canary',
  trigger: 'console',
  reason: 'r',
  status: 'IN_PROGRESS',
  ...o,
});

beforeEach(() => {
  // the lock's owner is the execution ARN ($$.Execution.Id), so only that execution's lock goes
  store = new FakeLedgerStore({
    lock: {
      owner: ENDED_EXECUTION_ARN,
      action: 'canary',
      acquiredAt: '2019-02-26T19:42:21Z',
      expiresAt: 1551239000,
    },
    record: fleet(),
  });
  executions = new FakeExecutions(STATE_MACHINE_ARN);
});

const janitor = (status = 'FAILED', now = NOW) =>
  releaseAbandonedLock(executionStatusChange(status), { store, executions, now });

describe('releaseAbandonedLock with the documented event', () => {
  it.each(['ABORTED', 'TIMED_OUT', 'FAILED'])('releases the lock a %s execution held', async (status) => {
    expect(await janitor(status)).toMatchObject({
      released: true,
      execution: ENDED_EXECUTION_ARN,
      status,
    });
    expect(store.writes[0]).toEqual({ method: 'release', owner: ENDED_EXECUTION_ARN });
    expect(store.lock).toBeUndefined();
  });

  it.each(['RUNNING', 'SUCCEEDED'])('leaves the lock of a %s execution alone', async (status) => {
    expect(await janitor(status)).toEqual({ released: false, execution: ENDED_EXECUTION_ARN, status });
    expect(store.calls).toHaveLength(0);
    expect(store.lock?.owner).toBe(ENDED_EXECUTION_ARN);
  });

  it.each(['InvalidInput', 'RolloutInProgress'])(
    'makes no call for an execution refused (%s) before it took the lock',
    async (error) => {
      const event = executionStatusChange('FAILED');
      const refused = { ...event, detail: { ...event.detail, error } };
      expect(await releaseAbandonedLock(refused, { store, executions, now: NOW })).toEqual({
        released: false,
        execution: ENDED_EXECUTION_ARN,
        status: 'FAILED',
        restore: { started: false, reason: `it was refused (${error}) before it took the lock` },
      });
      expect(store.calls).toEqual([]);
    },
  );

  it('reports nothing released when the execution had already released its lock', async () => {
    store.lock = undefined;
    expect((await janitor()).released).toBe(false);
  });

  it("leaves another execution's lock alone", async () => {
    store.lock = {
      owner: 'arn:…:execution:state-machine-name:next',
      action: 'phoenix',
      acquiredAt: '',
      expiresAt: 0,
    };
    expect((await janitor()).released).toBe(false);
    expect(store.lock?.owner).toBe('arn:…:execution:state-machine-name:next');
  });

  it('fails loudly on an event that is not an execution status change', async () => {
    await expect(
      releaseAbandonedLock(
        { ...executionStatusChange(), 'detail-type': 'Step Functions State Machine Status Change' },
        { store, executions, now: NOW },
      ),
    ).rejects.toMatchObject({ name: 'MalformedEvent' });
    await expect(
      releaseAbandonedLock(
        { ...executionStatusChange(), detail: { status: 'ABORTED' } },
        { store, executions, now: NOW },
      ),
    ).rejects.toMatchObject({ name: 'MalformedEvent' });
    expect(store.calls).toHaveLength(0);
  });
});

describe('the automatic restore after an execution that left the fleet unsafe', () => {
  const restoreInput = (status: string, why: string) => ({
    action: 'restore',
    trigger: 'recovery',
    reason: `automatic restore: execution-name ended ${status}; ${why}`,
  });

  it.each(['ABORTED', 'TIMED_OUT', 'FAILED'])(
    'starts one when a %s execution ended without recording its outcome',
    async (status) => {
      store.entries.set('e', entry());
      expect((await janitor(status)).restore).toEqual({
        started: true,
        reason: 'execution-name ended without recording its outcome',
        execution: `${STATE_MACHINE_ARN.replace(':stateMachine:', ':execution:')}:restore-after-execution-name`,
      });
      expect([...executions.executions]).toEqual([
        [
          'restore-after-execution-name',
          restoreInput(status, 'execution-name ended without recording its outcome'),
        ],
      ]);
    },
  );

  it('starts one when the way back failed too', async () => {
    store.entries.set('e', entry({ status: 'FAILED', compensation: 'FAILED' }));
    expect((await janitor()).restore).toMatchObject({
      started: true,
      reason: 'returning traffic to the last good fleet failed in execution-name',
    });
  });

  it('starts another when a restore failed before it took the lock, the rollout it came for still open', async () => {
    store.entries.set(
      'e',
      entry({ execution: 'arn:…:execution:state-machine-name:stopped', executionName: 'stopped' }),
    );
    store.lock = undefined;
    // the ended execution is the restore: refused by Lambda before it ever held the fleet
    expect((await janitor()).restore).toMatchObject({
      started: true,
      reason: 'stopped ended without recording its outcome',
    });
  });

  it('starts one when the release it made keeps its old colour up past its time (a failed retirement)', async () => {
    store.entries.set('e', entry({ status: 'SUCCEEDED' }));
    store.record = fleet({
      releasedBy: ENDED_EXECUTION_ARN,
      warm: { colour: 'green', image: 'ami-0cccccccccccccccc', until: at(-1).toISOString() },
    });
    expect((await janitor()).restore).toMatchObject({
      started: true,
      reason: `green is still up, past the ${at(-1).toISOString()} it was kept warm until`,
    });
  });

  it.each([
    [
      'it recorded its outcome after a way back that worked',
      () => store.entries.set('e', entry({ status: 'FAILED' })),
    ],
    ['nothing is left open (it was refused before the lock, or by its input)', () => undefined],
    [
      'another execution holds the fleet (its own first step restores it)',
      () => {
        store.entries.set('e', entry({ execution: 'arn:…:execution:state-machine-name:running' }));
        store.lock = {
          owner: 'arn:…:execution:state-machine-name:running',
          action: 'canary',
          acquiredAt: NOW.toISOString(),
          expiresAt: Math.floor(NOW.getTime() / 1000) + 3600,
        };
      },
    ],
    [
      'the colour kept warm is still within its time',
      () => {
        store.entries.set('e', entry({ status: 'SUCCEEDED' }));
        store.record = fleet({
          releasedBy: ENDED_EXECUTION_ARN,
          warm: { colour: 'green', image: 'ami-0cccccccccccccccc', until: at(60).toISOString() },
        });
      },
    ],
    [
      'the colour kept warm past its time is another release’s',
      () => {
        store.entries.set('e', entry({ status: 'FAILED' }));
        store.record = fleet({
          releasedBy: 'arn:…:execution:state-machine-name:earlier',
          warm: { colour: 'green', image: 'ami-0cccccccccccccccc', until: at(-60).toISOString() },
        });
      },
    ],
  ])('starts none when %s', async (_, given) => {
    given();
    expect((await janitor()).restore).toEqual({
      started: false,
      reason: 'the fleet was left in its safe state',
    });
    expect(executions.executions.size).toBe(0);
  });

  it('starts one restore per ended execution, however often the event comes', async () => {
    store.entries.set('e', entry());
    await janitor();
    executions.failures.on('start', awsError('ExecutionAlreadyExists', 'Execution already exists'));
    expect((await janitor()).restore).toEqual({
      started: false,
      reason:
        'execution-name ended without recording its outcome; restore-after-execution-name was started already',
    });
    expect(store.recoveries).toHaveLength(1);
  });

  it(`starts at most ${AUTOMATIC_RESTORES_PER_HOUR} in an hour, then refuses, for a person to look`, async () => {
    store.entries.set('e', entry());
    for (let i = 0; i < AUTOMATIC_RESTORES_PER_HOUR; i++)
      store.recoveries.push({ execution: `earlier-${i}`, at: at(-3000 + i).toISOString() });
    const refused = (await janitor()).restore;
    expect(refused).toEqual({
      started: false,
      reason: `execution-name ended without recording its outcome, but ${AUTOMATIC_RESTORES_PER_HOUR} automatic restores started in the last hour already: a person must look`,
      refused: { allowed: false, recent: AUTOMATIC_RESTORES_PER_HOUR },
    });
    expect(executions.executions.size).toBe(0);
    // an hour after the first of them, there is room again
    expect((await janitor('FAILED', at(601))).restore).toMatchObject({ started: true });
  });

  it('fails, for EventBridge to retry, when the restore cannot be started', async () => {
    store.entries.set('e', entry());
    executions.failures.on('start', awsError('ThrottlingException', 'Rate exceeded'));
    await expect(janitor()).rejects.toMatchObject({ name: 'ThrottlingException' });
  });
});

describe('restoreName', () => {
  it('is the ended execution’s name after "restore-after-"', () => {
    expect(restoreName(ENDED_EXECUTION_ARN)).toBe('restore-after-execution-name');
  });

  it('stays within the 80 characters of an execution name, distinct for distinct long names', () => {
    const long = (tail: string) => `${ENDED_EXECUTION_ARN.replace('execution-name', 'x'.repeat(75))}${tail}`;
    const [a, b] = [restoreName(long('a')), restoreName(long('b'))];
    expect(a).toHaveLength(80);
    expect(a).not.toBe(b);
  });
});
