import type { Executions } from '../../../lambda/triggers/ports';
import { awsError } from '../aws-errors';
import { Failures } from './failures';

/**
 * A state machine's executions held in memory, by name. As in Step Functions, a name starts one
 * execution: starting it again with the same input returns it, with another input fails.
 */
export class FakeExecutions implements Executions {
  readonly executions = new Map<string, object>();
  readonly failures = new Failures<'start'>();

  constructor(private readonly stateMachineArn: string) {}

  async start(name: string, input: object): Promise<string> {
    await this.failures.check('start');
    const running = this.executions.get(name);
    if (running && JSON.stringify(running) !== JSON.stringify(input))
      throw awsError('ExecutionAlreadyExists', `Execution already exists: ${name}`);
    this.executions.set(name, input);
    return `${this.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  }
}
