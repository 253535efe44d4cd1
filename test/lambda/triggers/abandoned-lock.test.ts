import { ConditionalCheckFailedException, DeleteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { LedgerStore } from '../../../lambda/ledger/store';
import { releaseAbandonedLock } from '../../../lambda/triggers/abandoned-lock';
import { ENDED_EXECUTION_ARN, executionStatusChange } from './events';
import { inputsOf } from '../sdk-mocks';

const db = mockClient(DynamoDBClient);
const store = () => ({ store: new LedgerStore(new DynamoDBClient({}), 'immutable-dev-rollouts') });

beforeEach(() => {
  db.reset();
  db.on(DeleteItemCommand).resolves({});
});

describe('releaseAbandonedLock with the documented event', () => {
  it.each(['ABORTED', 'TIMED_OUT', 'FAILED'])('releases the lock a %s execution held', async (status) => {
    expect(await releaseAbandonedLock(executionStatusChange(status), store())).toEqual({
      released: true,
      execution: ENDED_EXECUTION_ARN,
      status,
    });
    // the lock's owner is the execution ARN ($$.Execution.Id), so only that execution's lock goes
    expect(inputsOf(db, DeleteItemCommand)).toEqual([
      expect.objectContaining({
        Key: { pk: { S: 'fleet' }, sk: { S: 'lock' } },
        ConditionExpression: '#owner = :owner',
        ExpressionAttributeValues: { ':owner': { S: ENDED_EXECUTION_ARN } },
      }),
    ]);
  });

  it.each(['RUNNING', 'SUCCEEDED'])('leaves the lock of a %s execution alone', async (status) => {
    expect(await releaseAbandonedLock(executionStatusChange(status), store())).toEqual({
      released: false,
      execution: ENDED_EXECUTION_ARN,
      status,
    });
    expect(db.calls()).toHaveLength(0);
  });

  it('reports nothing released when the execution had already released its lock', async () => {
    db.on(DeleteItemCommand).rejects(
      new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }),
    );
    expect((await releaseAbandonedLock(executionStatusChange('FAILED'), store())).released).toBe(false);
  });

  it('fails loudly on an event that is not an execution status change', async () => {
    await expect(
      releaseAbandonedLock(
        { ...executionStatusChange(), 'detail-type': 'Step Functions State Machine Status Change' },
        store(),
      ),
    ).rejects.toMatchObject({ name: '$ZodError' });
    await expect(
      releaseAbandonedLock({ ...executionStatusChange(), detail: { status: 'ABORTED' } }, store()),
    ).rejects.toMatchObject({ name: '$ZodError' });
    expect(db.calls()).toHaveLength(0);
  });
});
