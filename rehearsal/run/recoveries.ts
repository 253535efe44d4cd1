import type { Executions } from '../../lambda/triggers/ports';
import type { FleetSimulator } from '../simulator';
import type { ExecutionOutcome } from './execution-driver';

/** The execution names each simulated world has used: a name starts one execution, ever. */
const namesUsed = new WeakMap<FleetSimulator, Set<string>>();

/** Marks a name as used on the world (the runner's own executions too). */
export function useName(sim: FleetSimulator, name: string): void {
  const used = namesUsed.get(sim) ?? new Set<string>();
  used.add(name);
  namesUsed.set(sim, used);
}

/** An execution the lock janitor started, and how it ended. */
export interface Recovery {
  readonly name: string;
  readonly arn: string;
  readonly outcome: Promise<ExecutionOutcome>;
}

/**
 * StartExecution as the lock janitor calls it in the rehearsal: each start runs an execution of
 * the rehearsed state machine on the same world, at once and on its own (the janitor does not
 * wait for it); a name already used on the world fails with ExecutionAlreadyExists, as Step
 * Functions refuses a name it has run before (with another input, or once the first has ended).
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html
 */
export class RehearsedExecutions implements Executions {
  readonly started: Recovery[] = [];

  constructor(
    private readonly sim: FleetSimulator,
    private readonly arnOf: (name: string) => string,
    private readonly run: (name: string, input: unknown) => Promise<ExecutionOutcome>,
  ) {}

  start(name: string, input: object): Promise<string> {
    if (namesUsed.get(this.sim)?.has(name))
      return Promise.reject(
        Object.assign(new Error(`Execution Already Exists: '${this.arnOf(name)}'`), {
          name: 'ExecutionAlreadyExists',
        }),
      );
    useName(this.sim, name);
    this.started.push({ name, arn: this.arnOf(name), outcome: this.run(name, input) });
    return Promise.resolve(this.arnOf(name));
  }
}
