import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeImagesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import * as module from '../../../lambda/handlers/promotion';
import { PROMOTION_SETTINGS_VARIABLE } from '../../../lambda/shared/settings';
import type { PromotionSettings } from '../../../lambda/shared/settings';
import { NOW } from '../fixtures';
import { inputsOf } from '../sdk-mocks';
import { compose } from './compose';

const IMAGE = 'ami-0bbbbbbbbbbbbbbbb';
const db = mockClient(DynamoDBClient);
const ec2 = mockClient(EC2Client);

const settings: PromotionSettings = {
  environment: 'prod',
  from: 'staging',
  soakMinutes: 240,
  approval: 'manual',
  approvalTimeoutHours: 72,
  table: 'immutable-prod-rollouts',
  rolloutStateMachineArn: 'arn:aws:states:eu-west-1:111122223333:stateMachine:immutable-prod-rollout',
  topicArn: 'arn:aws:sns:eu-west-1:111122223333:immutable-prod-rollouts',
};

const handler = compose(module, { [PROMOTION_SETTINGS_VARIABLE]: JSON.stringify(settings) });

describe('promotion handler', () => {
  it("checks through the settings' table and its EC2 client", async () => {
    const latest = {
      environment: 'staging',
      imageId: IMAGE,
      action: 'canary',
      releasedAt: '2026-03-02T06:00:00.000Z',
      execution: 'x',
    };
    db.on(GetItemCommand).resolves({ Item: { doc: { S: JSON.stringify(latest) } } });
    ec2.on(DescribeImagesCommand).resolves({ Images: [{ ImageId: IMAGE, State: 'available' }] });
    const r = await handler({
      op: 'check',
      execution: { id: 'arn:x', name: 'promote-1', startedAt: NOW.toISOString() },
      promotion: {
        imageId: IMAGE,
        from: 'staging',
        releasedAt: latest.releasedAt,
        soakUntil: NOW.toISOString(),
        releasedBy: 'x',
      },
    });
    expect(r).toEqual({ checkedAt: NOW.toISOString(), releasedUpstreamAt: latest.releasedAt });
    expect(inputsOf(db, GetItemCommand)).toEqual([
      {
        TableName: 'immutable-prod-rollouts',
        Key: { pk: { S: 'upstream#staging' }, sk: { S: 'latest' } },
        ConsistentRead: true,
      },
    ]);
    expect(inputsOf(ec2, DescribeImagesCommand)).toEqual([{ ImageIds: [IMAGE] }]);
  });
});

describe('promotion configuration', () => {
  it('fails when PROMOTION_SETTINGS lacks a setting, naming it', () => {
    const { table: _table, ...partial } = settings;
    expect(() => compose(module, { [PROMOTION_SETTINGS_VARIABLE]: JSON.stringify(partial) })).toThrow(
      'environment variable PROMOTION_SETTINGS lacks table; redeploy the stack',
    );
  });

  it('fails when PROMOTION_SETTINGS is not JSON', () => {
    expect(() => compose(module, { [PROMOTION_SETTINGS_VARIABLE]: '{table' })).toThrow(
      'environment variable PROMOTION_SETTINGS is not JSON',
    );
  });
});
