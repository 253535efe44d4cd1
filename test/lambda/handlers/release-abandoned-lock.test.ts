import type { DeleteItemCommand as DeleteItem } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { AwsStub } from 'aws-sdk-client-mock';
import { ENDED_EXECUTION_ARN, executionStatusChange } from '../triggers/events';
import { inputsOf } from '../sdk-mocks';
import type * as ReleaseAbandonedLock from '../../../lambda/handlers/release-abandoned-lock';

interface ColdStart {
  handler: (event: unknown) => Promise<{ released: boolean }>;
  db: AwsStub<any, any, any>;
  DeleteItemCommand: typeof DeleteItem;
}

/** Load the handler module fresh with TABLE_NAME set (or not), as a Lambda cold start does. */
async function coldStart(table: string | undefined): Promise<ColdStart> {
  const saved = { ...process.env };
  if (table === undefined) delete process.env.TABLE_NAME;
  else process.env.TABLE_NAME = table;
  try {
    let loaded: ColdStart | undefined;
    await jest.isolateModulesAsync(async () => {
      const ddb = await import('@aws-sdk/client-dynamodb');
      const db = mockClient(ddb.DynamoDBClient);
      db.on(ddb.DeleteItemCommand).resolves({});
      const { handler } = jest.requireActual<typeof ReleaseAbandonedLock>(
        '../../../lambda/handlers/release-abandoned-lock',
      );
      loaded = { handler, db, DeleteItemCommand: ddb.DeleteItemCommand };
    });
    return loaded as ColdStart;
  } finally {
    process.env = saved;
  }
}

describe('release-abandoned-lock handler', () => {
  it('releases the ended execution’s lock in the table TABLE_NAME names', async () => {
    const { handler, db, DeleteItemCommand } = await coldStart('immutable-prod-rollouts');
    expect(await handler(executionStatusChange('TIMED_OUT'))).toEqual({
      released: true,
      execution: ENDED_EXECUTION_ARN,
      status: 'TIMED_OUT',
    });
    expect(inputsOf(db, DeleteItemCommand)).toEqual([
      expect.objectContaining({
        TableName: 'immutable-prod-rollouts',
        ExpressionAttributeValues: { ':owner': { S: ENDED_EXECUTION_ARN } },
      }),
    ]);
  });
});
