import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import * as module from '../../../lambda/handlers/announce-release';
import { EXECUTION_ARN, NEW_AMI, NOW, execution, fleet } from '../fixtures';
import { inputsOf } from '../sdk-mocks';
import { compose, stepVariables } from './compose';

const db = mockClient(DynamoDBClient);
const events = mockClient(EventBridgeClient);

describe('announce-release handler', () => {
  it("announces on the default bus through its deployment's table, marking the record", async () => {
    const handler = compose(
      module,
      stepVariables('announce-release', { table: 'immutable-staging-rollouts' }),
    );
    const released = fleet({
      releasedImage: NEW_AMI,
      releasedAt: NOW.toISOString(),
      releasedBy: EXECUTION_ARN,
      generation: 3,
    });
    db.on(GetItemCommand).resolves({ Item: { record: { S: JSON.stringify(released) } } });
    db.on(PutItemCommand).resolves({});
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
    const r = await handler({
      execution: execution(),
    });
    expect(r).toMatchObject({ announced: true });
    expect(inputsOf(events, PutEventsCommand)).toEqual([
      { Entries: [expect.objectContaining({ Source: 'immutable.rollout', DetailType: 'Image Released' })] },
    ]);
    expect(inputsOf(db, PutItemCommand)).toEqual([
      expect.objectContaining({ TableName: 'immutable-staging-rollouts' }),
    ]);
  });
});
