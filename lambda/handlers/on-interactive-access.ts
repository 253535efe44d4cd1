import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { answerInteractiveAccess } from '../access/respond';
import type { AccessSettings } from '../access/respond';
import { AutoScalingFleetGroups } from '../aws/auto-scaling';
import { DynamoDbLedgerStore } from '../aws/dynamodb';
import { Ec2FleetInstances } from '../aws/instances';
import { StepFunctionsExecutions } from '../aws/sfn';
import { SnsNotifier } from '../aws/sns';
import { ConfigurationError, deployedHandler, required } from '../runtime/composition';
import type { Composition, Variables } from '../runtime/composition';
import { logger, metrics } from '../runtime/handler';
import { ON_INTERACTIVE_ACCESS } from '../shared/operations';
import type { OnInteractiveAccess } from '../shared/operations';

export interface OnInteractiveAccessConfig {
  readonly settings: AccessSettings;
  readonly table: string;
  readonly stateMachineArn: string;
  readonly topicArn: string;
}

/** What to do about an instance someone reached, as configured; anything else is refused, not guessed. */
export function onInteractiveAccessPolicy(variables: Variables): OnInteractiveAccess {
  const policy = required(variables, 'ON_INTERACTIVE_ACCESS');
  if (!ON_INTERACTIVE_ACCESS.includes(policy as OnInteractiveAccess))
    throw new ConfigurationError(
      `ON_INTERACTIVE_ACCESS must be "replace" or "alert", got ${JSON.stringify(policy)}`,
    );
  return policy as OnInteractiveAccess;
}

export const configure = (variables: Variables): OnInteractiveAccessConfig => ({
  settings: {
    environment: required(variables, 'ENVIRONMENT'),
    groups: { blue: required(variables, 'BLUE_GROUP'), green: required(variables, 'GREEN_GROUP') },
    onInteractiveAccess: onInteractiveAccessPolicy(variables),
  },
  table: required(variables, 'TABLE_NAME'),
  stateMachineArn: required(variables, 'STATE_MACHINE_ARN'),
  topicArn: required(variables, 'TOPIC_ARN'),
});

type Clients = {
  autoScaling: AutoScalingClient;
  ec2: EC2Client;
  dynamodb: DynamoDBClient;
  sfn: SFNClient;
  sns: SNSClient;
};

/** EventBridge → CloudTrail saw a session, command or SSH key reach an instance → taint it, replace it or say so. */
export function create({ config, clients, clock }: Composition<OnInteractiveAccessConfig, Clients>) {
  const instances = new Ec2FleetInstances(clients.ec2);
  const deps = {
    groups: new AutoScalingFleetGroups(clients.autoScaling),
    instances,
    tagger: instances,
    lock: new DynamoDbLedgerStore(clients.dynamodb, config.table),
    executions: new StepFunctionsExecutions(clients.sfn, config.stateMachineArn),
    notifier: new SnsNotifier(clients.sns, config.topicArn),
  };
  return async (event: unknown) => {
    const result = await answerInteractiveAccess(event, config.settings, { ...deps, now: clock() });
    logger.info('interactive access answered', { ...result });
    if (result.outcome !== 'ignored')
      metrics.addMetric('InteractiveAccess', 'Count', result.instanceIds.length);
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    return result;
  };
}

export const handler = deployedHandler({ configure, create }, () => ({
  autoScaling: new AutoScalingClient({}),
  ec2: new EC2Client({}),
  dynamodb: new DynamoDBClient({}),
  sfn: new SFNClient({}),
  sns: new SNSClient({}),
}));
