import type { StartExecutionCommandInput } from '@aws-sdk/client-sfn';
import type { SimulatedDeployment } from '../deployment';
import { buildHandler, sdkClients } from '../deployed-handlers';
import type { FleetSimulator } from '../simulator';
import { NoStepFunctions } from '../simulator/services/step-functions';
import type { StepFunctionsApi } from '../simulator/services/step-functions';

/** The interactive-access fault's APIs, and where CloudTrail reports each. */
const SOURCES = {
  StartSession: { source: 'aws.ssm', eventSource: 'ssm.amazonaws.com' },
  SendCommand: { source: 'aws.ssm', eventSource: 'ssm.amazonaws.com' },
  SendSSHPublicKey: { source: 'aws.ec2-instance-connect', eventSource: 'ec2-instance-connect.amazonaws.com' },
} as const;
export type AccessApi = keyof typeof SOURCES;

/** Who opens the session in a rehearsal. */
export const REHEARSAL_CALLER = (account: string) =>
  `arn:aws:sts::${account}:assumed-role/Operator/rehearsal`;

/** What the interactive-access fault did and what the deployed function answered. */
export interface AccessDelivery {
  readonly instanceId: string;
  readonly api: AccessApi;
  readonly answer: unknown;
}

/** The request parameters each API puts the instance in, as CloudTrail records them. */
function requestParameters(api: AccessApi, instanceId: string): Record<string, unknown> {
  switch (api) {
    case 'StartSession':
      return { target: instanceId };
    case 'SendCommand':
      return { instanceIds: [instanceId], documentName: 'AWS-RunShellScript' };
    case 'SendSSHPublicKey':
      return { instanceId, instanceOSUser: 'ec2-user' };
  }
}

/**
 * Someone opens a way into the live instance: EventBridge delivers the CloudTrail record to the
 * deployed on-interactive-access function (its environment variables set as deployed), whose
 * StartExecution, if it makes one, `start` answers by running the execution in this run.
 */
export async function deliverInteractiveAccess(
  api: AccessApi,
  on: {
    readonly sim: FleetSimulator;
    readonly deployment: SimulatedDeployment;
    readonly sequence: number;
    readonly start: (name: string, input: unknown) => string;
  },
): Promise<AccessDelivery | undefined> {
  const instanceId = on.sim.liveInstance();
  if (!instanceId) return undefined;
  const { deployment, sim } = on;
  const fn = deployment
    .ofType('AWS::Lambda::Function')
    .find((id) => deployment.resource(id).Metadata?.['immutable:handler'] === 'on-interactive-access');
  if (!fn)
    throw new Error('the template has no on-interactive-access function: nothing answers interactive access');
  const variables = (deployment.properties(fn) as { Environment?: { Variables?: Record<string, unknown> } })
    .Environment?.Variables;
  const time = sim
    .now()
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z');
  const event = {
    version: '0',
    id: `00000000-0000-4000-8000-${String(on.sequence).padStart(12, '0')}`,
    'detail-type': 'AWS API Call via CloudTrail',
    source: SOURCES[api].source,
    account: deployment.account,
    time,
    region: deployment.region,
    resources: [],
    detail: {
      eventVersion: '1.08',
      eventTime: time,
      eventSource: SOURCES[api].eventSource,
      eventName: api,
      userIdentity: { type: 'AssumedRole', arn: REHEARSAL_CALLER(deployment.account) },
      requestParameters: requestParameters(api, instanceId),
    },
  };
  const stopAnswering = sim.answerStepFunctions(new RunStepFunctions(on.start, () => sim.now()));
  try {
    const handler = buildHandler(
      'on-interactive-access',
      {
        ...Object.fromEntries(Object.entries(variables ?? {}).map(([k, v]) => [k, String(v)])),
        AWS_REGION: deployment.region,
      },
      sdkClients(deployment.region),
      () => sim.now(),
    );
    return { instanceId, api, answer: await handler(event) };
  } finally {
    stopAnswering();
  }
}

/** StartExecution answered by starting the execution in the run; nothing else is answered. */
class RunStepFunctions implements StepFunctionsApi {
  private readonly refuse = new NoStepFunctions();

  constructor(
    private readonly start: (name: string, input: unknown) => string,
    private readonly now: () => Date,
  ) {}

  startExecution(input: StartExecutionCommandInput): { executionArn: string; startDate: Date } {
    const executionArn = this.start(input.name ?? 'access', JSON.parse(input.input ?? '{}'));
    return { executionArn, startDate: this.now() };
  }

  describeExecution(): never {
    return this.refuse.describeExecution();
  }

  sendTaskSuccess(): never {
    return this.refuse.sendTaskSuccess();
  }

  sendTaskFailure(): never {
    return this.refuse.sendTaskFailure();
  }
}
