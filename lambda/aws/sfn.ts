import {
  DescribeExecutionCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { ExecutionView, StateMachineExecutions, TaskTokens } from '../promotion/ports';
import type { Executions } from '../triggers/ports';

/**
 * An execution name is 1-80 characters; only letters, digits, `-` and `_` keep it usable with
 * CloudWatch Logs.
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html
 */
const executionName = (name: string) => name.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 80);

/** Executions of one state machine. */
export class StepFunctionsExecutions implements Executions, StateMachineExecutions {
  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async start(name: string, input: object): Promise<string> {
    const out = await this.sfn.send(
      new StartExecutionCommand({
        stateMachineArn: this.stateMachineArn,
        name: executionName(name),
        input: JSON.stringify(input),
      }),
    );
    return out.executionArn ?? '';
  }

  async describe(executionArn: string): Promise<ExecutionView> {
    const out = await this.sfn.send(new DescribeExecutionCommand({ executionArn }));
    return {
      status: out.status ?? 'RUNNING',
      ...(out.error ? { error: out.error } : {}),
      ...(out.cause ? { cause: out.cause } : {}),
    };
  }
}

/**
 * SendTaskFailure takes an error of at most 256 characters and a cause of at most 32,768.
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskFailure.html
 */
const MAX_ERROR = 256;
const MAX_CAUSE = 32768;

/** The callbacks that resume a task waiting for its token. */
export class StepFunctionsTaskTokens implements TaskTokens {
  constructor(private readonly sfn: SFNClient) {}

  async succeed(token: string, output: object): Promise<void> {
    await this.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) }));
  }

  async fail(token: string, error: string, cause: string): Promise<void> {
    await this.sfn.send(
      new SendTaskFailureCommand({
        taskToken: token,
        error: error.slice(0, MAX_ERROR),
        cause: cause.slice(0, MAX_CAUSE),
      }),
    );
  }
}
