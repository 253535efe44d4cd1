import { AutoScalingClient, UpdateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import * as module from '../../../lambda/handlers/retire-colour';
import { execution, fleet, NEW_AMI, NOW, OLD_AMI } from '../fixtures';
import { inputsOf } from '../sdk-mocks';
import { compose, stepVariables } from './compose';

const asg = mockClient(AutoScalingClient);
const db = mockClient(DynamoDBClient);

describe('retire-colour handler', () => {
  it("retires through its deployment's table and its Auto Scaling client, locking from the current time", async () => {
    const handler = compose(module, stepVariables('retire-colour', { table: 'immutable-staging-rollouts' }));
    const released = fleet({
      liveColour: 'green',
      releasedImage: NEW_AMI,
      warm: { colour: 'blue', image: OLD_AMI, until: NOW.toISOString() },
    });
    asg.on(UpdateAutoScalingGroupCommand).resolves({});
    db.on(PutItemCommand).resolves({});
    db.on(DeleteItemCommand).resolves({});
    db.on(GetItemCommand).resolves({ Item: { record: { S: JSON.stringify(released) } } });
    const r = await handler({
      execution: execution(),
      fleet: released,
    });
    expect(r.retired).toBe(true);
    expect(inputsOf(db, PutItemCommand)[0]).toMatchObject({
      TableName: 'immutable-staging-rollouts',
      Item: { expiresAt: { N: String(Math.floor(NOW.getTime() / 1000) + 300) } },
    });
    expect(inputsOf(asg, UpdateAutoScalingGroupCommand)).toEqual([
      { AutoScalingGroupName: 'immutable-dev-blue', MinSize: 0, DesiredCapacity: 0 },
    ]);
  });
});
