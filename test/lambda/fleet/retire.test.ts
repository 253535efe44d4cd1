import { AutoScalingClient, UpdateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDbLedgerStore } from '../../../lambda/aws/dynamodb';
import { retireWarmColour } from '../../../lambda/fleet/retire';
import type { FleetRecord } from '../../../lambda/shared/documents';
import { at, execution, EXECUTION_ARN, fleet, NEW_AMI, NOW, OLD_AMI, settings } from '../fixtures';
import { inputsOf } from '../sdk-mocks';

const asg = mockClient(AutoScalingClient);
const db = mockClient(DynamoDBClient);
const s = settings();
const LOCK = { pk: { S: 'fleet' }, sk: { S: 'lock' } };
const STATE = { pk: { S: 'fleet' }, sk: { S: 'state' } };
const OWNER = `${EXECUTION_ARN}#retire`;

/** The record the release wrote: green live on the new image, blue kept warm on the old one. */
const released: FleetRecord = fleet({
  liveColour: 'green',
  releasedImage: NEW_AMI,
  previousImage: OLD_AMI,
  warm: { colour: 'blue', image: OLD_AMI, until: NOW.toISOString() },
  generation: 6,
});
const stored = (r: FleetRecord) =>
  db.on(GetItemCommand, { Key: STATE }).resolves({ Item: { ...STATE, record: { S: JSON.stringify(r) } } });
const retire = (f: FleetRecord = released) =>
  retireWarmColour(
    { settings: s, execution: execution(), fleet: f },
    {
      store: new DynamoDbLedgerStore(new DynamoDBClient({}), s.table),
      autoscaling: new AutoScalingClient({}),
      now: NOW,
    },
  );
const lockPuts = () => inputsOf(db, PutItemCommand).filter((p) => p.Item?.sk?.S === 'lock');
const statePuts = () => inputsOf(db, PutItemCommand).filter((p) => p.Item?.sk?.S === 'state');

beforeEach(() => {
  asg.reset();
  db.reset();
  asg.on(UpdateAutoScalingGroupCommand).resolves({});
  db.on(PutItemCommand).resolves({});
  db.on(DeleteItemCommand).resolves({});
});

describe('retireWarmColour when the fleet is as the release left it', () => {
  beforeEach(() => stored(released));

  it('scales the warm colour to zero and reports it', async () => {
    expect(await retire()).toEqual({
      retired: true,
      reason: `blue (${OLD_AMI}) scaled to zero after the scale-down delay`,
    });
    expect(inputsOf(asg, UpdateAutoScalingGroupCommand)).toEqual([
      { AutoScalingGroupName: 'immutable-dev-blue', MinSize: 0, DesiredCapacity: 0 },
    ]);
  });

  it('takes the lock for five minutes under its own owner, and releases it', async () => {
    await retire();
    expect(lockPuts()).toEqual([
      expect.objectContaining({
        Item: expect.objectContaining({
          owner: { S: OWNER },
          action: { S: 'retire' },
          expiresAt: { N: String(Math.floor(NOW.getTime() / 1000) + 300) },
        }),
      }),
    ]);
    expect(inputsOf(db, DeleteItemCommand)).toEqual([
      expect.objectContaining({ Key: LOCK, ExpressionAttributeValues: { ':owner': { S: OWNER } } }),
    ]);
  });

  it('removes the warm colour from the record at the same generation', async () => {
    await retire();
    const { warm: _warm, ...rest } = released;
    expect(statePuts()).toEqual([
      expect.objectContaining({
        Item: { ...STATE, record: { S: JSON.stringify(rest) }, generation: { N: '6' } },
        ExpressionAttributeValues: { ':expected': { N: '6' } },
      }),
    ]);
  });

  it('still releases the lock when scaling fails, and reports the failure', async () => {
    asg.on(UpdateAutoScalingGroupCommand).rejects(Object.assign(new Error('slow'), { name: 'Throttling' }));
    await expect(retire()).rejects.toMatchObject({ name: 'Throttling' });
    expect(db.commandCalls(DeleteItemCommand)).toHaveLength(1);
  });
});

describe('retireWarmColour when the fleet moved on', () => {
  it('does nothing when no colour is kept warm', async () => {
    const { warm: _warm, ...none } = released;
    expect(await retire(none)).toEqual({ retired: false, reason: 'no colour is kept warm' });
    expect(db.calls()).toHaveLength(0);
    expect(asg.calls()).toHaveLength(0);
  });

  it('skips, and leaves the lock alone, when a rollout holds the fleet', async () => {
    db.on(PutItemCommand).rejects(
      new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }),
    );
    db.on(GetItemCommand, { Key: LOCK }).resolves({
      Item: { ...LOCK, owner: { S: 'arn:…:execution:immutable-dev-rollout:next' }, action: { S: 'canary' } },
    });
    expect(await retire()).toEqual({
      retired: false,
      reason:
        'arn:…:execution:immutable-dev-rollout:next holds the fleet; the next rollout retires blue itself',
    });
    expect(asg.calls()).toHaveLength(0);
    expect(db.commandCalls(DeleteItemCommand)).toHaveLength(0);
  });

  it('retires it after a rotation of the live colour changed the record meanwhile', async () => {
    stored({ ...released, versions: { blue: '7', green: '9' }, generation: 7 });
    expect((await retire()).retired).toBe(true);
    expect(inputsOf(asg, UpdateAutoScalingGroupCommand)).toEqual([
      { AutoScalingGroupName: s.groups.blue, MinSize: 0, DesiredCapacity: 0 },
    ]);
  });

  it('skips when another release replaced the warm colour, releasing its lock', async () => {
    stored({
      ...released,
      releasedImage: OLD_AMI,
      warm: { colour: 'blue', image: NEW_AMI, until: at(900).toISOString() },
      generation: 7,
    });
    expect(await retire()).toEqual({
      retired: false,
      reason: 'the fleet changed since this release; nothing to retire',
    });
    expect(asg.calls()).toHaveLength(0);
    expect(statePuts()).toHaveLength(0);
    expect(db.commandCalls(DeleteItemCommand)).toHaveLength(1);
  });

  it('skips when the warm colour is no longer the one this release left', async () => {
    stored({ ...released, warm: { colour: 'green', image: NEW_AMI, until: at(300).toISOString() } });
    expect((await retire()).retired).toBe(false);
    expect(asg.calls()).toHaveLength(0);
  });

  it('skips when a rollback already retired it', async () => {
    const { warm: _warm, ...none } = released;
    stored(none);
    expect((await retire()).retired).toBe(false);
    expect(asg.calls()).toHaveLength(0);
  });
});
