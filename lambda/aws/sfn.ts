import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { Executions } from '../triggers/ports';

/**
 * An execution name is 1-80 characters; only letters, digits, `-` and `_` keep it usable with
 * CloudWatch Logs.
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html
 */
const executionName = (name: string) => name.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 80);

/** Executions of one state machine, the rollout's. */
export class StepFunctionsExecutions implements Executions {
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
}
