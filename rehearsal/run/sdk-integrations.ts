import * as autoScaling from '@aws-sdk/client-auto-scaling';
import * as cloudWatch from '@aws-sdk/client-cloudwatch';
import * as elbv2 from '@aws-sdk/client-elastic-load-balancing-v2';
import type { SimulatedClients } from '../simulator/sdk-routes';

/**
 * The AWS SDK integrations of Step Functions (`arn:aws:states:::aws-sdk:<service>:<action>`)
 * the rehearsal runs: each sends the equivalent SDK command through the client, so it reaches
 * the simulated account like a handler's call, and fails as Step Functions reports an
 * integration's error. A service or action not listed here is refused when the definition is
 * read, never passed over.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html
 */

const PREFIX = /^arn:aws[a-z-]*:states:::aws-sdk:([a-z0-9]+):([a-zA-Z0-9]+)$/;

type Client = { send(command: unknown): Promise<unknown> };
type Command = new (input: never) => unknown;

interface IntegratedService {
  /** How Step Functions names the service in an error (`ServiceName.ErrorName`). */
  readonly errorPrefix: string;
  readonly client: (clients: SimulatedClients) => Client;
  /** The SDK module: its commands, by class name. */
  readonly commands: Record<string, unknown>;
  /** The actions the rehearsal runs: those the simulator answers. */
  readonly actions: readonly string[];
}

const SERVICES: Record<string, IntegratedService> = {
  elasticloadbalancingv2: {
    errorPrefix: 'ElasticLoadBalancingV2',
    client: (c) => c.elbv2,
    commands: elbv2,
    actions: ['describeListeners', 'modifyListener'],
  },
  // The guide's table reads "Auto Scaling"; the integration's prefix has no space.
  autoscaling: {
    errorPrefix: 'AutoScaling',
    client: (c) => c.autoScaling,
    commands: autoScaling,
    actions: ['describeAutoScalingGroups', 'updateAutoScalingGroup', 'cancelInstanceRefresh'],
  },
  cloudwatch: {
    errorPrefix: 'CloudWatch',
    client: (c) => c.cloudWatch,
    commands: cloudWatch,
    actions: ['describeAlarms', 'putMetricData'],
  },
};

/** The service and SDK command behind an integration's resource, if the rehearsal runs it. */
function resolve(resource: string): { service: IntegratedService; command: Command } | undefined {
  const match = PREFIX.exec(resource);
  if (!match) return undefined;
  const [, serviceName = '', action = ''] = match;
  const service = SERVICES[serviceName];
  if (!service?.actions.includes(action)) return undefined;
  // The action is the API's name in camel case: modifyListener → ModifyListenerCommand.
  const command = service.commands[`${action.charAt(0).toUpperCase()}${action.slice(1)}Command`];
  return typeof command === 'function' ? { service, command: command as Command } : undefined;
}

export const isSdkIntegration = (resource: string): boolean => resource.includes(':states:::aws-sdk:');

/** Whether the rehearsal runs this integration. */
export const canRunSdkIntegration = (resource: string): boolean => resolve(resource) !== undefined;

/**
 * Runs an integration: its input (the state's Parameters, in the API's PascalCase) is the
 * command's input, its result the response without the SDK's metadata. An error becomes
 * `<Service>.<Name>Exception` (Step Functions always adds the suffix), with the service's
 * message as the cause.
 */
export async function runSdkIntegration(
  resource: string,
  input: unknown,
  clients: SimulatedClients,
): Promise<unknown> {
  const resolved = resolve(resource);
  if (!resolved) throw new Error(`the rehearsal does not run the integration ${resource}`);
  const { service, command: Command } = resolved;
  try {
    const { $metadata: _metadata, ...output } = (await service
      .client(clients)
      .send(new Command(input as never))) as Record<string, unknown>;
    return output;
  } catch (e) {
    const error = e instanceof Error ? e : new Error(String(e));
    // A command the simulator does not model is the rehearsal's failure, not the integration's.
    if (error.name === 'SimulatorUnsupportedError') throw error;
    const name = error.name.endsWith('Exception') ? error.name : `${error.name}Exception`;
    throw Object.assign(new Error(error.message), { name: `${service.errorPrefix}.${name}` });
  }
}
