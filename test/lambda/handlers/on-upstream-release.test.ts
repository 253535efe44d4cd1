import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import * as module from '../../../lambda/handlers/on-upstream-release';
import { imageReleased } from '../triggers/events';
import { inputsOf } from '../sdk-mocks';
import { compose } from './compose';

const PROMOTION = 'arn:aws:states:us-west-2:333344445555:stateMachine:immutable-staging-promotion';
const ENV = {
  TABLE_NAME: 'immutable-staging-rollouts',
  PROMOTION_STATE_MACHINE_ARN: PROMOTION,
  PROMOTE_FROM: 'dev',
  UPSTREAM_ACCOUNT: '222233334444',
  SOAK_MINUTES: '60',
};

const db = mockClient(DynamoDBClient);
const sfn = mockClient(SFNClient);

describe('on-upstream-release handler', () => {
  it('records the release in TABLE_NAME and starts PROMOTION_STATE_MACHINE_ARN, soaking SOAK_MINUTES', async () => {
    db.on(GetItemCommand).resolves({});
    // The factory announced the image here (its AMI in this region is the one released upstream).
    db.on(GetItemCommand, {
      Key: { pk: { S: 'factory-ami' }, sk: { S: imageReleased().detail.imageId } },
    }).resolves({
      Item: { doc: { S: JSON.stringify({ imageId: imageReleased().detail.imageId }) } },
    });
    db.on(PutItemCommand).resolves({});
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${PROMOTION}:promote-1` });
    const r = await compose(module, ENV)(imageReleased());
    expect(r).toEqual({
      promotion: true,
      executionArn: `${PROMOTION}:promote-1`,
      soakUntil: '2026-03-02T10:30:00.000Z',
    });
    expect(inputsOf(db, PutItemCommand).map((i) => i.TableName)).toEqual([
      'immutable-staging-rollouts',
      'immutable-staging-rollouts',
    ]);
    expect(inputsOf(sfn, StartExecutionCommand)).toEqual([
      expect.objectContaining({ stateMachineArn: PROMOTION }),
    ]);
  });

  it('refuses a PROMOTE_FROM that names no environment, naming it, before it handles anything', () => {
    expect(() => compose(module, { ...ENV, PROMOTE_FROM: 'Staging!' })).toThrow(
      'PROMOTE_FROM must name an environment, got "Staging!"',
    );
  });

  it('refuses a SOAK_MINUTES that is no whole number of minutes', () => {
    expect(() => compose(module, { ...ENV, SOAK_MINUTES: '1.5' })).toThrow(
      'SOAK_MINUTES must be a whole number of minutes, got "1.5"',
    );
  });
});
