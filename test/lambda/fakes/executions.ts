import type { ExecutionView, StateMachineExecutions } from '../../../lambda/promotion/ports';
import type { Executions } from '../../../lambda/triggers/ports';
import { awsError } from '../aws-errors';
import { Failures } from './failures';

/**
 * A state machine's executions held in memory, by name. As in Step Functions, a name starts one
 * execution: starting it again with the same input returns it, with another input fails.
 */
export class FakeExecutions implements Executions, StateMachineExecutions {
  readonly executions = new Map<string, object>();
  /** How each execution (by ARN) is doing; RUNNING unless a test says otherwise. */
  readonly views = new Map<string, ExecutionView>();
  readonly failures = new Failures<'start' | 'describe'>();

  constructor(private readonly stateMachineArn: string) {}

  async start(name: string, input: object): Promise<string> {
    await this.failures.check('start');
    const running = this.executions.get(name);
    if (running && JSON.stringify(running) !== JSON.stringify(input))
      throw awsError('ExecutionAlreadyExists', `Execution already exists: ${name}`);
    this.executions.set(name, input);
    return this.arnOf(name);
  }

  async describe(executionArn: string): Promise<ExecutionView> {
    await this.failures.check('describe');
    if (![...this.executions.keys()].some((name) => this.arnOf(name) === executionArn))
      throw awsError('ExecutionDoesNotExist', `Execution does not exist: ${executionArn}`);
    return this.views.get(executionArn) ?? { status: 'RUNNING' };
  }

  arnOf(name: string): string {
    return `${this.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  }
}
