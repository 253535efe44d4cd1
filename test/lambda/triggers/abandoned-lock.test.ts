import { releaseAbandonedLock } from '../../../lambda/triggers/abandoned-lock';
import { FakeLedgerStore } from '../fakes/ledger-store';
import { ENDED_EXECUTION_ARN, executionStatusChange } from './events';

let store: FakeLedgerStore;

beforeEach(() => {
  // the lock's owner is the execution ARN ($$.Execution.Id), so only that execution's lock goes
  store = new FakeLedgerStore({
    lock: {
      owner: ENDED_EXECUTION_ARN,
      action: 'canary',
      acquiredAt: '2019-02-26T19:42:21Z',
      expiresAt: 1551239000,
    },
  });
});

describe('releaseAbandonedLock with the documented event', () => {
  it.each(['ABORTED', 'TIMED_OUT', 'FAILED'])('releases the lock a %s execution held', async (status) => {
    expect(await releaseAbandonedLock(executionStatusChange(status), { store })).toEqual({
      released: true,
      execution: ENDED_EXECUTION_ARN,
      status,
    });
    expect(store.writes).toEqual([{ method: 'release', owner: ENDED_EXECUTION_ARN }]);
    expect(store.lock).toBeUndefined();
  });

  it.each(['RUNNING', 'SUCCEEDED'])('leaves the lock of a %s execution alone', async (status) => {
    expect(await releaseAbandonedLock(executionStatusChange(status), { store })).toEqual({
      released: false,
      execution: ENDED_EXECUTION_ARN,
      status,
    });
    expect(store.calls).toHaveLength(0);
    expect(store.lock?.owner).toBe(ENDED_EXECUTION_ARN);
  });

  it('reports nothing released when the execution had already released its lock', async () => {
    store.lock = undefined;
    expect((await releaseAbandonedLock(executionStatusChange('FAILED'), { store })).released).toBe(false);
  });

  it("leaves another execution's lock alone", async () => {
    store.lock = {
      owner: 'arn:…:execution:state-machine-name:next',
      action: 'phoenix',
      acquiredAt: '',
      expiresAt: 0,
    };
    expect((await releaseAbandonedLock(executionStatusChange('FAILED'), { store })).released).toBe(false);
    expect(store.lock?.owner).toBe('arn:…:execution:state-machine-name:next');
  });

  it('fails loudly on an event that is not an execution status change', async () => {
    await expect(
      releaseAbandonedLock(
        { ...executionStatusChange(), 'detail-type': 'Step Functions State Machine Status Change' },
        { store },
      ),
    ).rejects.toMatchObject({ name: 'MalformedEvent' });
    await expect(
      releaseAbandonedLock({ ...executionStatusChange(), detail: { status: 'ABORTED' } }, { store }),
    ).rejects.toMatchObject({ name: 'MalformedEvent' });
    expect(store.calls).toHaveLength(0);
  });
});
