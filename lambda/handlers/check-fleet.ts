import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { AutoScalingFleetGroups } from '../aws/auto-scaling';
import { DynamoDbLedgerStore } from '../aws/dynamodb';
import { Ec2Images } from '../aws/ec2';
import { ElbListener } from '../aws/elb';
import { Ec2FleetInstances } from '../aws/instances';
import { StepFunctionsExecutions } from '../aws/sfn';
import { SnsNotifier } from '../aws/sns';
import { SsmRuntimeParameters } from '../aws/ssm';
import { checkFleet } from '../operations/check';
import type { FleetCheckSettings } from '../operations/check';
import { deployedHandler, required, requiredJson } from '../runtime/composition';
import type { Composition, Variables } from '../runtime/composition';
import { logger, metrics } from '../runtime/handler';
import { FLEET_METRICS } from '../shared/operations';
import { onInteractiveAccessPolicy } from './on-interactive-access';

export interface CheckFleetConfig {
  readonly settings: FleetCheckSettings;
  readonly table: string;
  readonly stateMachineArn: string;
  readonly topicArn: string;
}

export const configure = (variables: Variables): CheckFleetConfig => ({
  settings: {
    ...(requiredJson(variables, 'FLEET') as Omit<FleetCheckSettings, 'onInteractiveAccess'>),
    onInteractiveAccess: onInteractiveAccessPolicy(variables),
  },
  table: required(variables, 'TABLE_NAME'),
  stateMachineArn: required(variables, 'STATE_MACHINE_ARN'),
  topicArn: required(variables, 'TOPIC_ARN'),
});

type Clients = {
  autoScaling: AutoScalingClient;
  ec2: EC2Client;
  elbv2: ElasticLoadBalancingV2Client;
  ssm: SSMClient;
  dynamodb: DynamoDBClient;
  sfn: SFNClient;
  sns: SNSClient;
};

/** On a schedule: the fleet's age, shape and drift as metrics; tainted instances replaced once the lock is free. */
export function create({ config, clients, clock }: Composition<CheckFleetConfig, Clients>) {
  const { settings } = config;
  const deps = {
    groups: new AutoScalingFleetGroups(clients.autoScaling),
    instances: new Ec2FleetInstances(clients.ec2),
    images: new Ec2Images(clients.ec2),
    listener: new ElbListener(clients.elbv2),
    parameters: new SsmRuntimeParameters(clients.ssm),
    ledger: new DynamoDbLedgerStore(clients.dynamodb, config.table),
    executions: new StepFunctionsExecutions(clients.sfn, config.stateMachineArn),
    notifier: new SnsNotifier(clients.sns, config.topicArn),
  };
  return async () => {
    const result = await checkFleet(settings, { ...deps, now: clock() });
    const environment = settings.environment;
    const publish = (
      name: string,
      unit: 'Count' | 'None',
      value: number,
      dims: Record<string, string> = {},
    ) => {
      const m = metrics.singleMetric();
      m.addDimensions({ environment, ...dims });
      m.addMetric(name, unit, value);
    };
    const { age, drift } = result;
    publish(FLEET_METRICS.oldestInstanceAgeDays, 'None', age.oldestDays);
    publish(FLEET_METRICS.medianInstanceAgeDays, 'None', age.medianDays);
    if (age.releasedImageDays !== undefined)
      publish(FLEET_METRICS.releasedImageAgeDays, 'None', age.releasedImageDays);
    for (const [image, n] of Object.entries(age.byImage))
      publish(FLEET_METRICS.instances, 'Count', n, { image });
    for (const [colour, n] of Object.entries(age.byColour))
      publish(FLEET_METRICS.instances, 'Count', n, { colour });
    publish(FLEET_METRICS.driftFindings, 'Count', drift.length);
    publish(FLEET_METRICS.taintedInstances, 'Count', age.tainted.length);
    logger.info('fleet checked', { age: { ...age }, drift: [...drift], replacing: result.replacing });
    return result;
  };
}

export const handler = deployedHandler({ configure, create }, () => ({
  autoScaling: new AutoScalingClient({}),
  ec2: new EC2Client({}),
  elbv2: new ElasticLoadBalancingV2Client({}),
  ssm: new SSMClient({}),
  dynamodb: new DynamoDBClient({}),
  sfn: new SFNClient({}),
  sns: new SNSClient({}),
}));
