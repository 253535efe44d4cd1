import { StateMachine } from 'aws-local-stepfunctions';
import { assertFaithful, rewriteWaits } from '../asl';
import type { AslDefinition } from '../asl';
import type { SimulatedDeployment } from '../deployment';
import { isDeployedHandler } from '../deployed-handlers';
import { canRunSdkIntegration } from './sdk-integrations';
import { LAMBDA_WAIT_FOR_TOKEN, SNS_PUBLISH, TaskStandIns } from './task-handlers';

/**
 * One synthesized state machine, ready to run: its definition resolved against the simulated
 * deployment, checked for anything the local interpreter would not run as AWS does, its Waits
 * rewritten to simulated time, and a local stand-in for each Task (the deployed handler each
 * function's `immutable:handler` metadata names). Building the local machine validates the
 * definition, which takes up to a second: build once, run many times.
 */
export class CompiledMachine {
  /** As synthesized (resolved). */
  readonly original: AslDefinition;
  /** With its Waits rewritten as Tasks. */
  readonly definition: AslDefinition;
  readonly machine: StateMachine;
  readonly tasks: TaskStandIns;
  readonly arn: string;
  readonly name: string;

  constructor(
    readonly deployment: SimulatedDeployment,
    readonly logicalId: string,
  ) {
    this.arn = deployment.arnOf(logicalId);
    this.name = deployment.nameOf(logicalId);
    this.original = JSON.parse(String(deployment.properties(logicalId).DefinitionString)) as AslDefinition;
    const handlerByResource = new Map<string, string>();
    // Each function's timeout as deployed: a timed-out invocation fails when it is up.
    const timeoutByResource = new Map<string, number>();
    // Each function's environment variables as deployed: what a step acts on is configured there.
    const environmentByResource = new Map<string, Record<string, string>>();
    for (const fnId of deployment.ofType('AWS::Lambda::Function')) {
      const handler = deployment.resource(fnId).Metadata?.['immutable:handler'];
      if (typeof handler === 'string' && isDeployedHandler(handler))
        handlerByResource.set(deployment.arnOf(fnId), handler);
      const timeout = deployment.properties(fnId).Timeout;
      if (timeout !== undefined) timeoutByResource.set(deployment.arnOf(fnId), Number(timeout));
      const variables = (
        deployment.properties(fnId) as { Environment?: { Variables?: Record<string, unknown> } }
      ).Environment?.Variables;
      if (variables)
        environmentByResource.set(
          deployment.arnOf(fnId),
          Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, String(v)])),
        );
    }
    assertFaithful(this.original, (resource, state) => {
      if (resource === SNS_PUBLISH) return true;
      if (resource === LAMBDA_WAIT_FOR_TOKEN) {
        const fn = (state.Parameters as { FunctionName?: unknown } | undefined)?.FunctionName;
        return handlerByResource.has(String(fn));
      }
      return handlerByResource.has(resource) || canRunSdkIntegration(resource);
    });
    const { definition, waits } = rewriteWaits(this.original);
    this.definition = definition;
    this.tasks = new TaskStandIns(
      definition,
      waits,
      handlerByResource,
      timeoutByResource,
      environmentByResource,
      deployment.region,
    );
    this.machine = new StateMachine(definition as never, { validationOptions: { checkArn: false } });
  }

  /** The state machine's timeout, in seconds. */
  get timeoutSeconds(): number | undefined {
    return this.definition.TimeoutSeconds;
  }
}
