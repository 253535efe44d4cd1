import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
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
import type { EnvironmentName } from '../../lambda/shared/environments';
import type { WorkflowSettings } from '../../lambda/shared/settings';
import { DeploymentNotFound, readDeployment } from '../deployment';

/** An environment as the operator tools read it: the observation, and its last rollouts. */
export interface EnvironmentView {
  readonly settings: WorkflowSettings;
  readonly observation: FleetObservation;
  readonly history: readonly LedgerEntry[];
}

export class OperationsError extends Error {}

/** The environment's settings, as its stack describes its deployment (its groups, listener, parameters, table). */
export async function deployedSettings(ssm: SSMClient, env: EnvironmentName): Promise<WorkflowSettings> {
  try {
    return (await readDeployment(ssm, env)).settings;
  } catch (e) {
    if (e instanceof DeploymentNotFound) throw new OperationsError(e.message);
    throw e;
  }
}

/** Read one environment, with SDK clients in `region` (or the ones a simulator answers); changes nothing. */
export async function viewEnvironment(
  env: EnvironmentName,
  o: { readonly region?: string; readonly now: Date; readonly settings?: WorkflowSettings },
): Promise<EnvironmentView> {
  const region = o.region ? { region: o.region } : {};
  const settings = o.settings ?? (await deployedSettings(new SSMClient(region), env));
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
