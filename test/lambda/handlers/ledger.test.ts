import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../../lambda/handlers/ledger';
import { canaryPlan, execution, EXECUTION_ARN, fleet, NOW, request, settings } from '../fixtures';
import { inputsOf } from '../sdk-mocks';
import { freezeClock } from './clock';

const db = mockClient(DynamoDBClient);
const ssm = mockClient(SSMClient);
freezeClock();
const s = settings({ table: 'immutable-staging-rollouts' });
const base = { settings: s, execution: execution() };
const STATE = { pk: { S: 'fleet' }, sk: { S: 'state' } };

beforeEach(() => {
  db.reset();
  ssm.reset();
  db.on(PutItemCommand).resolves({});
  db.on(DeleteItemCommand).resolves({});
  db.on(UpdateItemCommand).resolves({});
  // no ledger entry left open by an earlier rollout
  db.on(QueryCommand).resolves({ Items: [] });
  db.on(GetItemCommand, { Key: STATE }).resolves({ Item: { record: { S: JSON.stringify(fleet()) } } });
  ssm.on(GetParameterCommand).resolves({ Parameter: { Value: 'unchanged' } });
  ssm.on(PutParameterCommand).resolves({});
});

describe('ledger handler', () => {
  it("acquires on the settings' table, with the lock expiring from the current time", async () => {
    const grant = await handler({ op: 'acquire', ...base, request: request() });
    expect(grant).toEqual({
      owner: EXECUTION_ARN,
      expiresAt: Math.floor(NOW.getTime() / 1000) + 14_400,
      fleet: fleet(),
    });
    expect(inputsOf(db, PutItemCommand)[0]).toMatchObject({ TableName: 'immutable-staging-rollouts' });
  });

  it('records the start', async () => {
    await expect(
      handler({ op: 'start', ...base, request: request(), plan: canaryPlan(), fleet: fleet() }),
    ).resolves.toEqual({ recorded: true });
  });

  it('releases with the current time and publishes through its SSM client', async () => {
    const r = await handler({ op: 'release', ...base, plan: canaryPlan(), fleet: fleet(), version: '8' });
    expect(r).toMatchObject({ releasedAt: NOW.toISOString(), liveColour: 'green' });
    expect(inputsOf(ssm, PutParameterCommand).map((p) => p.Name)).toContain(s.parameters.releasedImage);
  });

  it('finishes and unlocks', async () => {
    const finished = await handler({
      op: 'finish',
      ...base,
      document: { request: request(), plan: canaryPlan() },
    });
    expect(finished).toMatchObject({ outcome: 'SUCCEEDED', subject: '[dev] phoenix SUCCEEDED' });
    await expect(handler({ op: 'unlock', ...base })).resolves.toEqual({ released: true });
  });

  it('lets RolloutInProgress through with its name', async () => {
    db.on(PutItemCommand).rejects(new ConditionalCheckFailedException({ message: 'held', $metadata: {} }));
    db.on(GetItemCommand).resolves({ Item: { owner: { S: 'someone' }, expiresAt: { N: '0' } } });
    await expect(handler({ op: 'acquire', ...base, request: request() })).rejects.toMatchObject({
      name: 'RolloutInProgress',
    });
  });
});
