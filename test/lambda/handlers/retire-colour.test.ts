import { AutoScalingClient, UpdateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../../lambda/handlers/retire-colour';
import { execution, fleet, NEW_AMI, NOW, OLD_AMI, settings } from '../fixtures';
import { inputsOf } from '../sdk-mocks';
import { freezeClock } from './clock';

const asg = mockClient(AutoScalingClient);
const db = mockClient(DynamoDBClient);
freezeClock();
const released = fleet({
  liveColour: 'green',
  releasedImage: NEW_AMI,
  warm: { colour: 'blue', image: OLD_AMI, until: NOW.toISOString() },
});

beforeEach(() => {
  asg.reset();
  db.reset();
  asg.on(UpdateAutoScalingGroupCommand).resolves({});
  db.on(PutItemCommand).resolves({});
  db.on(DeleteItemCommand).resolves({});
  db.on(GetItemCommand).resolves({ Item: { record: { S: JSON.stringify(released) } } });
});

describe('retire-colour handler', () => {
  it("retires with the settings' table and its Auto Scaling client, locking from the current time", async () => {
    const r = await handler({
      settings: settings({ table: 'immutable-staging-rollouts' }),
      execution: execution(),
      fleet: released,
    });
    expect(r.retired).toBe(true);
    const lock = inputsOf(db, PutItemCommand)[0];
    expect(lock).toMatchObject({
      TableName: 'immutable-staging-rollouts',
      Item: { expiresAt: { N: String(Math.floor(NOW.getTime() / 1000) + 300) } },
    });
    expect(inputsOf(asg, UpdateAutoScalingGroupCommand)).toHaveLength(1);
  });

  it('lets an AWS error through with its name', async () => {
    db.on(PutItemCommand).rejects(Object.assign(new Error('no'), { name: 'ResourceNotFoundException' }));
    await expect(
      handler({ settings: settings(), execution: execution(), fleet: released }),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });
});
