import type { SimulatedDeployment } from '../deployment';
import { buildHandler, isDeployedHandler, sdkClients } from '../deployed-handlers';
import type { BuiltHandler } from '../deployed-handlers';
import type { Place } from './account';

/** A deployed function as the train invokes it: its handler, where it runs, and its configuration. */
export interface DeployedFunction {
  readonly arn: string;
  /** The `immutable:handler` metadata: which deployed handler it runs. */
  readonly handler: string;
  readonly invoke: (event: never) => Promise<unknown>;
  /** The stack it belongs to: an environment, or the image factory. */
  readonly place: Place;
  /** Its environment variables, resolved as CloudFormation would. */
  readonly environment: Readonly<Record<string, string>>;
  /**
   * Asynchronous invocation (EventBridge invokes this way): retries after an error (Lambda's
   * default is 2), and where the event goes once they are spent (the on-failure destination).
   * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
   */
  readonly retryAttempts: number;
  readonly onFailure?: string;
}

/** Every function of the deployments with a deployed handler, by ARN. */
export function deployedFunctions(
  deployments: ReadonlyArray<readonly [Place, SimulatedDeployment]>,
): Map<string, DeployedFunction> {
  const functions = new Map<string, DeployedFunction>();
  for (const [place, deployment] of deployments) {
    const asyncConfig = new Map<string, { retries?: number; onFailure?: string }>();
    for (const id of deployment.ofType('AWS::Lambda::EventInvokeConfig')) {
      const p = deployment.properties(id) as {
        FunctionName?: string;
        MaximumRetryAttempts?: number;
        DestinationConfig?: { OnFailure?: { Destination?: string } };
      };
      asyncConfig.set(String(p.FunctionName), {
        ...(p.MaximumRetryAttempts !== undefined ? { retries: p.MaximumRetryAttempts } : {}),
        ...(p.DestinationConfig?.OnFailure?.Destination
          ? { onFailure: p.DestinationConfig.OnFailure.Destination }
          : {}),
      });
    }
    for (const id of deployment.ofType('AWS::Lambda::Function')) {
      const handler = deployment.resource(id).Metadata?.['immutable:handler'];
      if (typeof handler !== 'string') continue;
      if (!isDeployedHandler(handler))
        throw new Error(`function ${id} runs handler ${handler}, which the rehearsal does not know`);
      const props = deployment.properties(id) as { Environment?: { Variables?: Record<string, unknown> } };
      const arn = deployment.arnOf(id);
      const environment = Object.fromEntries(
        Object.entries(props.Environment?.Variables ?? {}).map(([k, v]) => [k, String(v)]),
      );
      // Built on its first invocation, as a cold start would, then kept.
      let built: BuiltHandler | undefined;
      const invoke = (event: never) => {
        built ??= buildHandler(
          handler,
          { ...environment, AWS_REGION: deployment.region },
          sdkClients(deployment.region),
          () => new Date(),
        );
        return built(event);
      };
      // EventInvokeConfig names the function by name (Ref) or ARN.
      const config = asyncConfig.get(deployment.nameOf(id)) ?? asyncConfig.get(arn) ?? {};
      functions.set(arn, {
        arn,
        handler,
        invoke,
        place,
        environment,
        retryAttempts: config.retries ?? 2,
        ...(config.onFailure ? { onFailure: config.onFailure } : {}),
      });
    }
  }
  return functions;
}
