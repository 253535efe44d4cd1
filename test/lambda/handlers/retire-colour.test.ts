import { AutoScalingClient, UpdateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../../lambda/handlers/retire-colour';
import { execution, fleet, NEW_AMI, NOW, OLD_AMI, settings } from '../fixtures';
import { inputsOf } from '../sdk-mocks';
import { freezeClock } from './clock';
import { deployedWith, withEnv } from './env';

const asg = mockClient(AutoScalingClient);
const db = mockClient(DynamoDBClient);
freezeClock();

describe('retire-colour handler', () => {
  it("retires through its deployment's table and its Auto Scaling client, locking from the current time", () =>
    withEnv(deployedWith({ table: 'immutable-staging-rollouts' }), async () => {
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
        settings: settings(),
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
    }));
});
