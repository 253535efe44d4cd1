import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { StepFunctionsExecutions } from '../../../lambda/aws/sfn';
import { inputsOf } from '../sdk-mocks';

const sfn = mockClient(SFNClient);
const ROLLOUT = 'arn:aws:states:us-west-2:111122223333:stateMachine:immutable-dev-rollout';
const executions = () => new StepFunctionsExecutions(new SFNClient({}), ROLLOUT);

beforeEach(() => {
  sfn.reset();
  sfn.on(StartExecutionCommand).resolves({ executionArn: `${ROLLOUT}:image-x`, startDate: new Date() });
});

describe('StepFunctionsExecutions.start', () => {
  it('starts the state machine under the name, with the input as JSON', async () => {
    const input = { action: 'canary', imageId: 'ami-0123456789abcdef0' };
    expect(await executions().start('image-a1b2c3d4-5678-90ab-cdef-EXAMPLE11111', input)).toBe(
      `${ROLLOUT}:image-x`,
    );
    expect(inputsOf(sfn, StartExecutionCommand)).toEqual([
      {
        stateMachineArn: ROLLOUT,
        name: 'image-a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
        input: JSON.stringify(input),
      },
    ]);
  });

  it('keeps execution names within what Step Functions accepts', async () => {
    await executions().start(`image-odd id/with:chars ${'x'.repeat(100)}`, {});
    expect(inputsOf(sfn, StartExecutionCommand)[0]?.name).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
  });

  it('propagates a refused start', async () => {
    sfn
      .on(StartExecutionCommand)
      .rejects(Object.assign(new Error('limit'), { name: 'ExecutionLimitExceeded' }));
    await expect(executions().start('image-x', {})).rejects.toMatchObject({ name: 'ExecutionLimitExceeded' });
  });
});
