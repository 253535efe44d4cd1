import {
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import * as module from '../../../lambda/handlers/release-abandoned-lock';
import { ENDED_EXECUTION_ARN, executionStatusChange } from '../triggers/events';
import { inputsOf } from '../sdk-mocks';
import { compose } from './compose';

const db = mockClient(DynamoDBClient);
const sfn = mockClient(SFNClient);
const ROLLOUT = 'arn:aws:states:us-east-1:123456789012:stateMachine:immutable-prod-rollout';
const ENV = { TABLE_NAME: 'immutable-prod-rollouts', STATE_MACHINE_ARN: ROLLOUT };

/** The ended execution's ledger entry: still open (it never recorded its outcome) or closed. */
const ledgerEntry = (open: boolean) => ({
  pk: { S: 'rollout' },
  sk: { S: '2019-02-26T19:40:00.000Z#execution-name' },
  execution: { S: ENDED_EXECUTION_ARN },
  executionName: { S: 'execution-name' },
  startedAt: { S: '2019-02-26T19:40:00.000Z' },
  status: { S: open ? 'IN_PROGRESS' : 'FAILED' },
});

describe('release-abandoned-lock handler', () => {
  beforeEach(() => {
    db.reset();
    sfn.reset();
    db.on(DeleteItemCommand).resolves({});
    db.on(GetItemCommand).resolves({});
    db.on(PutItemCommand).resolves({});
    db.on(QueryCommand).resolves({ Items: [ledgerEntry(false)] });
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${ROLLOUT}:restore-after-execution-name` });
  });

  it('releases the ended execution’s lock in the table TABLE_NAME names', async () => {
    const result = await compose(module, ENV)(executionStatusChange('TIMED_OUT'));
    expect(result).toMatchObject({ released: true, execution: ENDED_EXECUTION_ARN, status: 'TIMED_OUT' });
    expect(inputsOf(db, DeleteItemCommand)).toEqual([
      expect.objectContaining({
        TableName: 'immutable-prod-rollouts',
        ExpressionAttributeValues: { ':owner': { S: ENDED_EXECUTION_ARN } },
      }),
    ]);
    // the fleet was left safe: nothing to restore
    expect(inputsOf(sfn, StartExecutionCommand)).toEqual([]);
  });

  it('starts a restore of the state machine STATE_MACHINE_ARN names, named after the ended execution', async () => {
    db.on(QueryCommand).resolves({ Items: [ledgerEntry(true)] });
    const result = await compose(module, ENV)(executionStatusChange('TIMED_OUT'));
    expect(result.restore).toMatchObject({ started: true });
    expect(inputsOf(sfn, StartExecutionCommand)).toEqual([
      {
        stateMachineArn: ROLLOUT,
        name: 'restore-after-execution-name',
        input: expect.stringContaining('"action":"restore","trigger":"recovery"') as unknown,
      },
    ]);
  });

  it('acts on the table its own TABLE_NAME names: another environment’s function in the same process uses its own', async () => {
    const dev = compose(module, { ...ENV, TABLE_NAME: 'immutable-dev-rollouts' });
    const staging = compose(module, { ...ENV, TABLE_NAME: 'immutable-staging-rollouts' });
    await dev(executionStatusChange('FAILED'));
    await staging(executionStatusChange('ABORTED'));
    expect(inputsOf(db, DeleteItemCommand).map((i) => i.TableName)).toEqual([
      'immutable-dev-rollouts',
      'immutable-staging-rollouts',
    ]);
  });

  it.each(['TABLE_NAME', 'STATE_MACHINE_ARN'])(
    'refuses to run without %s, naming it, and deletes nothing',
    (name) => {
      const variables: Record<string, string> = { ...ENV };
      delete variables[name];
      expect(() => compose(module, variables)).toThrow(`environment variable ${name} is not set`);
      expect(inputsOf(db, DeleteItemCommand)).toEqual([]);
      expect(inputsOf(sfn, StartExecutionCommand)).toEqual([]);
    },
  );
});
