import { DeleteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../../lambda/handlers/release-abandoned-lock';
import { ENDED_EXECUTION_ARN, executionStatusChange } from '../triggers/events';
import { inputsOf } from '../sdk-mocks';
import { withEnv } from './env';

const db = mockClient(DynamoDBClient);

describe('release-abandoned-lock handler', () => {
  beforeEach(() => {
    db.reset();
    db.on(DeleteItemCommand).resolves({});
  });

  it('releases the ended execution’s lock in the table TABLE_NAME names', async () => {
    const result = await withEnv({ TABLE_NAME: 'immutable-prod-rollouts' }, () =>
      handler(executionStatusChange('TIMED_OUT')),
    );
    expect(result).toEqual({ released: true, execution: ENDED_EXECUTION_ARN, status: 'TIMED_OUT' });
    expect(inputsOf(db, DeleteItemCommand)).toEqual([
      expect.objectContaining({
        TableName: 'immutable-prod-rollouts',
        ExpressionAttributeValues: { ':owner': { S: ENDED_EXECUTION_ARN } },
      }),
    ]);
  });

  it('reads TABLE_NAME at each invocation: another environment’s function in the same process uses its own table', async () => {
    await withEnv({ TABLE_NAME: 'immutable-dev-rollouts' }, () => handler(executionStatusChange('FAILED')));
    await withEnv({ TABLE_NAME: 'immutable-staging-rollouts' }, () =>
      handler(executionStatusChange('ABORTED')),
    );
    expect(inputsOf(db, DeleteItemCommand).map((i) => i.TableName)).toEqual([
      'immutable-dev-rollouts',
      'immutable-staging-rollouts',
    ]);
  });

  it('refuses to run without TABLE_NAME, naming it, and deletes nothing', async () => {
    const saved = process.env.TABLE_NAME;
    delete process.env.TABLE_NAME;
    try {
      await expect(handler(executionStatusChange('TIMED_OUT'))).rejects.toThrow(
        'environment variable TABLE_NAME is not set',
      );
    } finally {
      if (saved !== undefined) process.env.TABLE_NAME = saved;
    }
    expect(inputsOf(db, DeleteItemCommand)).toEqual([]);
  });
});
