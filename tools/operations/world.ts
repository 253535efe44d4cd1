import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { DescribeStateMachineCommand, ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { SSMClient } from '@aws-sdk/client-ssm';
import { AutoScalingFleetGroups } from '../../lambda/aws/auto-scaling';
import { DynamoDbLedgerStore } from '../../lambda/aws/dynamodb';
import { Ec2Images } from '../../lambda/aws/ec2';
import { ElbListener } from '../../lambda/aws/elb';
import { Ec2FleetInstances } from '../../lambda/aws/instances';
import { SsmRuntimeParameters } from '../../lambda/aws/ssm';
import type { LedgerEntry } from '../../lambda/ledger/ports';
import { observeFleet } from '../../lambda/operations/observe';
import type { FleetObservation } from '../../lambda/operations/observe';
import { resourcePrefix } from '../../lambda/shared/names';
import type { EnvironmentName } from '../../lambda/shared/environments';
import type { WorkflowSettings } from '../../lambda/shared/settings';

/** The state whose parameters carry the environment's settings (the rollout's first state). */
const SETTINGS_STATE = 'Load Settings';

/** An environment as the operator tools read it: the observation, and its last rollouts. */
export interface EnvironmentView {
  readonly settings: WorkflowSettings;
  readonly observation: FleetObservation;
  readonly history: readonly LedgerEntry[];
}

export class OperationsError extends Error {}

/**
 * The environment's settings, from its deployed rollout state machine (the names of its groups,
 * listener, parameters and table): the tools need no configuration of their own.
 */
export async function deployedSettings(sfn: SFNClient, env: EnvironmentName): Promise<WorkflowSettings> {
  const name = `${resourcePrefix(env)}-rollout`;
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new ListStateMachinesCommand({ nextToken }));
    const found = page.stateMachines?.find((m) => m.name === name);
    if (found?.stateMachineArn) {
      const out = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: found.stateMachineArn }));
      const definition = JSON.parse(out.definition ?? '{}') as {
        States?: Record<string, { Parameters?: { settings?: WorkflowSettings } }>;
      };
      const settings = definition.States?.[SETTINGS_STATE]?.Parameters?.settings;
      if (!settings?.groups)
        throw new OperationsError(`${name} carries no settings in its "${SETTINGS_STATE}" state`);
      return settings;
    }
    nextToken = page.nextToken;
  } while (nextToken);
  throw new OperationsError(`no state machine ${name} in this account and region: is ${env} deployed here?`);
}

/** Read one environment, with SDK clients in `region` (or the ones a simulator answers); changes nothing. */
export async function viewEnvironment(
  env: EnvironmentName,
  o: { readonly region?: string; readonly now: Date; readonly settings?: WorkflowSettings },
): Promise<EnvironmentView> {
  const region = o.region ? { region: o.region } : {};
  const settings = o.settings ?? (await deployedSettings(new SFNClient(region), env));
  const ec2 = new EC2Client(region);
  const ledger = new DynamoDbLedgerStore(new DynamoDBClient(region), settings.table);
  const observation = await observeFleet(settings, {
    groups: new AutoScalingFleetGroups(new AutoScalingClient(region)),
    instances: new Ec2FleetInstances(ec2),
    images: new Ec2Images(ec2),
    listener: new ElbListener(new ElasticLoadBalancingV2Client(region)),
    parameters: new SsmRuntimeParameters(new SSMClient(region)),
    ledger,
    now: o.now,
  });
  return { settings, observation, history: await ledger.history(5) };
}
