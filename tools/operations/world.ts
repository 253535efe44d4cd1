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

/** The clients the tools read an environment with. */
export interface OperationsClients {
  readonly autoScaling: AutoScalingClient;
  readonly ec2: EC2Client;
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly ssm: SSMClient;
  readonly dynamodb: DynamoDBClient;
}

/** SDK clients of AWS in `region` (the shell's credentials). */
export function awsClients(region?: string): OperationsClients {
  const config = region ? { region } : {};
  return {
    autoScaling: new AutoScalingClient(config),
    ec2: new EC2Client(config),
    elbv2: new ElasticLoadBalancingV2Client(config),
    ssm: new SSMClient(config),
    dynamodb: new DynamoDBClient(config),
  };
}

/** Read one environment through `clients` (AWS's, or a rehearsal's); changes nothing. */
export async function viewEnvironment(
  env: EnvironmentName,
  o: { readonly clients: OperationsClients; readonly now: Date; readonly settings?: WorkflowSettings },
): Promise<EnvironmentView> {
  const { clients } = o;
  const settings = o.settings ?? (await deployedSettings(clients.ssm, env));
  const ledger = new DynamoDbLedgerStore(clients.dynamodb, settings.table);
  const observation = await observeFleet(settings, {
    groups: new AutoScalingFleetGroups(clients.autoScaling),
    instances: new Ec2FleetInstances(clients.ec2),
    images: new Ec2Images(clients.ec2),
    listener: new ElbListener(clients.elbv2),
    parameters: new SsmRuntimeParameters(clients.ssm),
    ledger,
    now: o.now,
  });
  return { settings, observation, history: await ledger.history(5) };
}
