import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import * as module from '../../../lambda/handlers/on-image-available';
import { deployedHandler } from '../../../lambda/runtime/composition';
import { sdkClients } from '../../../rehearsal/deployed-handlers';
import { FACTORY_ACCOUNT, imageAvailable } from '../triggers/events';
import { inputsOf } from '../sdk-mocks';
import { compose } from './compose';

const ROLLOUT = 'arn:aws:states:us-west-2:222233334444:stateMachine:immutable-dev-rollout';
const AMI = 'ami-0123456789abcdef0';
const ENV = {
  TABLE_NAME: 'immutable-dev-rollouts',
  STATE_MACHINE_ARN: ROLLOUT,
  AWS_REGION: 'us-west-2',
  SCAN_FAIL_ON_SEVERITY: 'CRITICAL',
  TAKES_FACTORY_IMAGES: 'true',
  IMAGE_FACTORY_ACCOUNT: FACTORY_ACCOUNT,
};

const db = mockClient(DynamoDBClient);
const sfn = mockClient(SFNClient);
beforeEach(() => {
  db.reset();
  sfn.reset();
});

describe('on-image-available handler', () => {
  it("records the announcement in TABLE_NAME and starts STATE_MACHINE_ARN on AWS_REGION's AMI", async () => {
    db.on(PutItemCommand).resolves({});
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${ROLLOUT}:image-1` });
    const r = await compose(module, ENV)(imageAvailable());
    expect(r).toEqual({ started: true, imageId: AMI, executionArn: `${ROLLOUT}:image-1` });
    const puts = inputsOf(db, PutItemCommand);
    expect(new Set(puts.map((i) => i.TableName))).toEqual(new Set(['immutable-dev-rollouts']));
    expect(puts[0]?.Item).toMatchObject({ pk: { S: 'factory-image' }, sk: { S: AMI } });
    expect(inputsOf(sfn, StartExecutionCommand)).toEqual([
      expect.objectContaining({ stateMachineArn: ROLLOUT, input: expect.stringContaining(AMI) as unknown }),
    ]);
  });

  it('fails its cold start, loudly, on a scan gate it cannot read (no guessed threshold)', () => {
    const lambda = { AWS_LAMBDA_FUNCTION_NAME: 'immutable-dev-on-image-available' };
    const coldStart = (env: Record<string, string>) => () =>
      deployedHandler(module, () => sdkClients('us-west-2'), { ...ENV, ...lambda, ...env });
    expect(coldStart({ SCAN_FAIL_ON_SEVERITY: 'SEVERE' })).toThrow(
      'SCAN_FAIL_ON_SEVERITY must be LOW, MEDIUM, HIGH or CRITICAL, got "SEVERE"',
    );
    // the same module with a gate it can read starts
    expect(coldStart({})).not.toThrow();
  });
});
