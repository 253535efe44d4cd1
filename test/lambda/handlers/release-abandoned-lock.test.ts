import type { DeleteItemCommand as DeleteItem, QueryCommand as Query } from '@aws-sdk/client-dynamodb';
import type { StartExecutionCommand as StartExecution } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import type { AwsStub } from 'aws-sdk-client-mock';
import { ENDED_EXECUTION_ARN, executionStatusChange } from '../triggers/events';
import { inputsOf } from '../sdk-mocks';
import type * as ReleaseAbandonedLock from '../../../lambda/handlers/release-abandoned-lock';

const ROLLOUT = 'arn:aws:states:us-east-1:123456789012:stateMachine:immutable-prod-rollout';

interface ColdStart {
  handler: (event: unknown) => Promise<{ released: boolean; restore?: { started: boolean } }>;
  db: AwsStub<any, any, any>;
  sfn: AwsStub<any, any, any>;
  commands: { DeleteItem: typeof DeleteItem; Query: typeof Query; StartExecution: typeof StartExecution };
}

/** Load the handler module fresh with its environment, as a Lambda cold start does. */
async function coldStart(env: Record<string, string | undefined>, open = true): Promise<ColdStart> {
  const saved = { ...process.env };
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    let loaded: ColdStart | undefined;
    await jest.isolateModulesAsync(async () => {
      const ddb = await import('@aws-sdk/client-dynamodb');
      const sf = await import('@aws-sdk/client-sfn');
      const db = mockClient(ddb.DynamoDBClient);
      const sfn = mockClient(sf.SFNClient);
      db.on(ddb.DeleteItemCommand).resolves({});
      db.on(ddb.GetItemCommand).resolves({});
      db.on(ddb.PutItemCommand).resolves({});
      db.on(ddb.QueryCommand).resolves({
        Items: [
          {
            pk: { S: 'rollout' },
            sk: { S: '2019-02-26T19:40:00.000Z#execution-name' },
            execution: { S: ENDED_EXECUTION_ARN },
            executionName: { S: 'execution-name' },
            startedAt: { S: '2019-02-26T19:40:00.000Z' },
            status: { S: open ? 'IN_PROGRESS' : 'FAILED' },
          },
        ],
      });
      sfn.on(sf.StartExecutionCommand).resolves({ executionArn: `${ROLLOUT}:restore-after-execution-name` });
      const { handler } = jest.requireActual<typeof ReleaseAbandonedLock>(
        '../../../lambda/handlers/release-abandoned-lock',
      );
      loaded = {
        handler,
        db,
        sfn,
        commands: {
          DeleteItem: ddb.DeleteItemCommand,
          Query: ddb.QueryCommand,
          StartExecution: sf.StartExecutionCommand,
        },
      };
    });
    return loaded as ColdStart;
  } finally {
    process.env = saved;
  }
}

const ENV = { TABLE_NAME: 'immutable-prod-rollouts', STATE_MACHINE_ARN: ROLLOUT };

describe('release-abandoned-lock handler', () => {
  it('releases the ended execution’s lock in the table TABLE_NAME names', async () => {
    const { handler, db, commands } = await coldStart(ENV, false);
    expect(await handler(executionStatusChange('TIMED_OUT'))).toMatchObject({
      released: true,
      execution: ENDED_EXECUTION_ARN,
      status: 'TIMED_OUT',
    });
    expect(inputsOf(db, commands.DeleteItem)).toEqual([
      expect.objectContaining({
        TableName: 'immutable-prod-rollouts',
        ExpressionAttributeValues: { ':owner': { S: ENDED_EXECUTION_ARN } },
      }),
    ]);
  });

  it('starts a restore of the state machine STATE_MACHINE_ARN names, named after the ended execution', async () => {
    const { handler, sfn, commands } = await coldStart(ENV);
    expect((await handler(executionStatusChange('TIMED_OUT'))).restore).toMatchObject({ started: true });
    expect(inputsOf(sfn, commands.StartExecution)).toEqual([
      {
        stateMachineArn: ROLLOUT,
        name: 'restore-after-execution-name',
        input: expect.stringContaining('"action":"restore","trigger":"recovery"') as unknown,
      },
    ]);
  });

  it('fails at cold start without STATE_MACHINE_ARN', async () => {
    await expect(coldStart({ ...ENV, STATE_MACHINE_ARN: undefined })).rejects.toThrow(
      'environment variable STATE_MACHINE_ARN is not set',
    );
  });
});
