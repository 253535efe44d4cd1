import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { answerInteractiveAccess } from '../access/respond';
import { AutoScalingFleetGroups } from '../aws/auto-scaling';
import { DynamoDbLedgerStore } from '../aws/dynamodb';
import { Ec2FleetInstances } from '../aws/instances';
import { StepFunctionsExecutions } from '../aws/sfn';
import { SnsNotifier } from '../aws/sns';
import { logger, metrics } from '../runtime/handler';
import { checkAtColdStart, fromEnvironment } from '../runtime/env';
import { ON_INTERACTIVE_ACCESS } from '../shared/operations';
import type { OnInteractiveAccess } from '../shared/operations';

const groups = new AutoScalingFleetGroups(new AutoScalingClient({}));
const instances = new Ec2FleetInstances(new EC2Client({}));
const db = new DynamoDBClient({});
const sfn = new SFNClient({});
const sns = new SNSClient({});
const config = fromEnvironment(
  [
    'ENVIRONMENT',
    'BLUE_GROUP',
    'GREEN_GROUP',
    'ON_INTERACTIVE_ACCESS',
    'TABLE_NAME',
    'STATE_MACHINE_ARN',
    'TOPIC_ARN',
  ],
  (env) => {
    const policy = env.ON_INTERACTIVE_ACCESS;
    if (!ON_INTERACTIVE_ACCESS.includes(policy as OnInteractiveAccess))
      throw new Error(`ON_INTERACTIVE_ACCESS must be "replace" or "alert", got ${JSON.stringify(policy)}`);
    return {
      settings: {
        environment: env.ENVIRONMENT ?? '',
        groups: { blue: env.BLUE_GROUP ?? '', green: env.GREEN_GROUP ?? '' },
        onInteractiveAccess: policy as OnInteractiveAccess,
      },
      lock: new DynamoDbLedgerStore(db, env.TABLE_NAME ?? ''),
      executions: new StepFunctionsExecutions(sfn, env.STATE_MACHINE_ARN ?? ''),
      notifier: new SnsNotifier(sns, env.TOPIC_ARN ?? ''),
    };
  },
);
checkAtColdStart(config);

/** EventBridge → CloudTrail saw a session, command or SSH key reach an instance → taint it, replace it or say so. */
export const handler = async (event: unknown) => {
  const { settings, ...deps } = config();
  const result = await answerInteractiveAccess(event, settings, {
    ...deps,
    groups,
    instances,
    tagger: instances,
    now: new Date(),
  });
  logger.info('interactive access answered', { ...result });
  if (result.outcome !== 'ignored')
    metrics.addMetric('InteractiveAccess', 'Count', result.instanceIds.length);
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  return result;
};
