import {
  DescribeExecutionCommand,
  SFNClient,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { StepFunctionsExecutions, StepFunctionsTaskTokens } from '../../../lambda/aws/sfn';
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

describe('StepFunctionsExecutions.describe', () => {
  it('reads an execution’s status, error and cause', async () => {
    sfn.on(DescribeExecutionCommand).resolves({
      executionArn: `${ROLLOUT}:c`,
      stateMachineArn: ROLLOUT,
      status: 'FAILED',
      error: 'CanaryFailed',
      cause: 'p99',
      startDate: new Date(),
    });
    expect(await executions().describe(`${ROLLOUT}:c`)).toEqual({
      status: 'FAILED',
      error: 'CanaryFailed',
      cause: 'p99',
    });
    expect(inputsOf(sfn, DescribeExecutionCommand)).toEqual([{ executionArn: `${ROLLOUT}:c` }]);
  });

  it('leaves out an error and cause a running execution does not have', async () => {
    sfn
      .on(DescribeExecutionCommand)
      .resolves({ status: 'RUNNING', executionArn: 'x', stateMachineArn: ROLLOUT, startDate: new Date() });
    expect(await executions().describe('x')).toEqual({ status: 'RUNNING' });
  });
});

describe('StepFunctionsTaskTokens', () => {
  const tokens = () => new StepFunctionsTaskTokens(new SFNClient({}));

  it('succeeds a task with its output as JSON', async () => {
    sfn.on(SendTaskSuccessCommand).resolves({});
    await tokens().succeed('token-1', { decision: 'approve' });
    expect(inputsOf(sfn, SendTaskSuccessCommand)).toEqual([
      { taskToken: 'token-1', output: '{"decision":"approve"}' },
    ]);
  });

  it('fails a task within the lengths Step Functions accepts', async () => {
    sfn.on(SendTaskFailureCommand).resolves({});
    await tokens().fail('token-1', `E${'x'.repeat(300)}`, 'c'.repeat(40000));
    const [input] = inputsOf(sfn, SendTaskFailureCommand);
    expect(input?.error?.length).toBe(256);
    expect(input?.cause?.length).toBe(32768);
  });

  it('propagates TaskTimedOut by name (the caller decides what it means)', async () => {
    sfn.on(SendTaskSuccessCommand).rejects(Object.assign(new Error('expired'), { name: 'TaskTimedOut' }));
    await expect(tokens().succeed('t', {})).rejects.toMatchObject({ name: 'TaskTimedOut' });
  });
});
