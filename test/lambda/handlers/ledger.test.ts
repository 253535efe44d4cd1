import {
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import * as module from '../../../lambda/handlers/ledger';
import { canaryPlan, execution, EXECUTION_ARN, fleet, NOW, request, settings } from '../fixtures';
import { inputsOf, storeParameters } from '../sdk-mocks';
import { compose, stepVariables } from './compose';

const db = mockClient(DynamoDBClient);
const ssm = mockClient(SSMClient);

describe('ledger handler', () => {
  it("runs a rollout's ledger through its DynamoDB and SSM clients, on its deployment's table, whatever the event names, at the current time", async () => {
    const handler = compose(module, stepVariables('ledger', { table: 'immutable-staging-rollouts' }));
    const s = settings();
    const base = { settings: s, execution: execution() };
    db.on(PutItemCommand).resolves({});
    db.on(DeleteItemCommand).resolves({});
    db.on(UpdateItemCommand).resolves({});
    db.on(QueryCommand).resolves({ Items: [] });
    db.on(GetItemCommand).resolves({ Item: { record: { S: JSON.stringify(fleet()) } } });
    storeParameters(ssm, 'unchanged');

    expect(await handler({ op: 'acquire', ...base, request: request() })).toEqual({
      owner: EXECUTION_ARN,
      expiresAt: Math.floor(NOW.getTime() / 1000) + 14_400,
      fleet: fleet(),
    });
    expect(
      await handler({ op: 'start', ...base, request: request(), plan: canaryPlan(), fleet: fleet() }),
    ).toEqual({
      recorded: true,
    });
    expect(
      await handler({ op: 'release', ...base, plan: canaryPlan(), fleet: fleet(), version: '8' }),
    ).toMatchObject({ releasedAt: NOW.toISOString(), liveColour: 'green' });
    expect(
      await handler({ op: 'finish', ...base, document: { request: request(), plan: canaryPlan() } }),
    ).toMatchObject({ outcome: 'SUCCEEDED', subject: '[dev] phoenix SUCCEEDED' });
    expect(await handler({ op: 'unlock', ...base })).toEqual({ released: true });

    const tables = [
      ...inputsOf(db, PutItemCommand),
      ...inputsOf(db, GetItemCommand),
      ...inputsOf(db, UpdateItemCommand),
      ...inputsOf(db, DeleteItemCommand),
    ].map((i) => i.TableName);
    expect(new Set(tables)).toEqual(new Set(['immutable-staging-rollouts']));
    expect(inputsOf(ssm, PutParameterCommand).map((p) => p.Name)).toContain(s.parameters.releasedImage);
  });
});
