import {
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDbPromotionStore } from '../../../lambda/aws/dynamodb-promotion';
import type { PendingApproval, UpstreamRelease } from '../../../lambda/promotion/ports';
import { inputsOf } from '../sdk-mocks';

const db = mockClient(DynamoDBClient);
const TABLE = 'immutable-prod-rollouts';
const store = () => new DynamoDbPromotionStore(new DynamoDBClient({}), TABLE);
beforeEach(() => db.reset());

const release: UpstreamRelease = {
  environment: 'staging',
  imageId: 'ami-0bbbbbbbbbbbbbbbb',
  action: 'canary',
  releasedAt: '2026-03-02T09:30:00.000Z',
  execution: 'arn:x',
};
const approval: PendingApproval = {
  imageId: 'ami-0bbbbbbbbbbbbbbbb',
  from: 'staging',
  taskToken: 'token-1',
  execution: 'arn:p',
  requestedAt: '2026-03-02T10:00:00.000Z',
  expiresAt: '2026-03-05T10:00:00.000Z',
};
const doc = (o: object) => ({ S: JSON.stringify(o) });

describe('DynamoDbPromotionStore upstream releases', () => {
  it('records a release twice: as ever released, then as the latest', async () => {
    db.on(PutItemCommand).resolves({});
    await store().recordUpstreamRelease(release);
    expect(inputsOf(db, PutItemCommand)).toEqual([
      {
        TableName: TABLE,
        Item: { pk: { S: 'upstream#staging' }, sk: { S: 'image#ami-0bbbbbbbbbbbbbbbb' }, doc: doc(release) },
      },
      { TableName: TABLE, Item: { pk: { S: 'upstream#staging' }, sk: { S: 'latest' }, doc: doc(release) } },
    ]);
  });

  it('reads the latest, and a release of one image, consistently', async () => {
    db.on(GetItemCommand).resolves({ Item: { doc: doc(release) } });
    expect(await store().latestUpstreamRelease('staging')).toEqual(release);
    expect(await store().upstreamRelease('staging', release.imageId)).toEqual(release);
    expect(inputsOf(db, GetItemCommand)).toEqual([
      { TableName: TABLE, Key: { pk: { S: 'upstream#staging' }, sk: { S: 'latest' } }, ConsistentRead: true },
      {
        TableName: TABLE,
        Key: { pk: { S: 'upstream#staging' }, sk: { S: `image#${release.imageId}` } },
        ConsistentRead: true,
      },
    ]);
  });

  it('answers undefined for a release never recorded', async () => {
    db.on(GetItemCommand).resolves({});
    expect(await store().upstreamRelease('dev', release.imageId)).toBeUndefined();
  });
});

describe('DynamoDbPromotionStore factory announcements', () => {
  const announced = {
    imageArn: 'arn:aws:imagebuilder:eu-west-1:111122223333:image/web/1.0.0/1',
    pipelineArn: 'arn:aws:imagebuilder:eu-west-1:111122223333:image-pipeline/web',
    amis: [
      { region: 'eu-west-1', imageId: 'ami-0aaaaaaaaaaaaaaaa' },
      { region: 'us-east-1', imageId: 'ami-0bbbbbbbbbbbbbbbb' },
    ],
    findings: { scanned: true, critical: 0, high: 0, medium: 0, low: 0 },
    recipeVersion: '1.0.0',
    sourceRevision: 'abc',
    imageId: 'ami-0bbbbbbbbbbbbbbbb',
    announcedAt: '2026-03-02T09:00:00.000Z',
  };

  it('keeps the announcement under this region’s AMI, and every region’s AMI pointing to it', async () => {
    db.on(PutItemCommand).resolves({});
    await store().recordFactoryImage(announced);
    expect(inputsOf(db, PutItemCommand).map((i) => [i.Item?.pk?.S, i.Item?.sk?.S, i.Item?.doc?.S])).toEqual([
      ['factory-image', 'ami-0bbbbbbbbbbbbbbbb', JSON.stringify(announced)],
      ['factory-ami', 'ami-0bbbbbbbbbbbbbbbb', JSON.stringify({ imageId: 'ami-0bbbbbbbbbbbbbbbb' })],
      ['factory-ami', 'ami-0aaaaaaaaaaaaaaaa', JSON.stringify({ imageId: 'ami-0bbbbbbbbbbbbbbbb' })],
    ]);
  });

  it('translates another region’s AMI to this region’s, and knows nothing of an unannounced one', async () => {
    db.on(GetItemCommand, { Key: { pk: { S: 'factory-ami' }, sk: { S: 'ami-0aaaaaaaaaaaaaaaa' } } }).resolves(
      {
        Item: { doc: doc({ imageId: 'ami-0bbbbbbbbbbbbbbbb' }) },
      },
    );
    db.on(GetItemCommand, { Key: { pk: { S: 'factory-ami' }, sk: { S: 'ami-0cccccccccccccccc' } } }).resolves(
      {},
    );
    expect(await store().localImage('ami-0aaaaaaaaaaaaaaaa')).toBe('ami-0bbbbbbbbbbbbbbbb');
    expect(await store().localImage('ami-0cccccccccccccccc')).toBeUndefined();
  });
});

describe('DynamoDbPromotionStore approvals', () => {
  it('keeps an approval request by image, and lists them', async () => {
    db.on(PutItemCommand).resolves({});
    db.on(QueryCommand).resolves({ Items: [{ doc: doc(approval) }] });
    await store().putApproval(approval);
    expect(await store().pendingApprovals()).toEqual([approval]);
    expect(inputsOf(db, QueryCommand)).toEqual([
      {
        TableName: TABLE,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: 'approval' } },
        ConsistentRead: true,
      },
    ]);
  });

  it('clears a request only while it is still the one with this token', async () => {
    db.on(GetItemCommand).resolves({ Item: { doc: doc(approval) } });
    db.on(DeleteItemCommand).resolves({});
    await store().clearApproval(approval.imageId, 'token-1');
    expect(inputsOf(db, DeleteItemCommand)).toEqual([
      {
        TableName: TABLE,
        Key: { pk: { S: 'approval' }, sk: { S: approval.imageId } },
        ConditionExpression: '#doc = :doc',
        ExpressionAttributeNames: { '#doc': 'doc' },
        ExpressionAttributeValues: { ':doc': doc(approval) },
      },
    ]);
    db.reset();
    db.on(GetItemCommand).resolves({ Item: { doc: doc({ ...approval, taskToken: 'token-2' }) } });
    await store().clearApproval(approval.imageId, 'token-1');
    expect(inputsOf(db, DeleteItemCommand)).toEqual([]);
  });

  it('takes a request replaced between the read and the delete as already cleared', async () => {
    db.on(GetItemCommand).resolves({ Item: { doc: doc(approval) } });
    db.on(DeleteItemCommand).rejects(
      Object.assign(new Error('changed'), { name: 'ConditionalCheckFailedException' }),
    );
    await expect(store().clearApproval(approval.imageId, 'token-1')).resolves.toBeUndefined();
  });
});
