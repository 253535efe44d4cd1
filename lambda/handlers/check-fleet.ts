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
import { logger, metrics } from '../runtime/handler';
import { checkAtColdStart, fromEnvironment } from '../runtime/env';
import { FLEET_METRICS, ON_INTERACTIVE_ACCESS } from '../shared/operations';
import type { OnInteractiveAccess } from '../shared/operations';

const ec2 = new EC2Client({});
const reads = {
  groups: new AutoScalingFleetGroups(new AutoScalingClient({})),
  instances: new Ec2FleetInstances(ec2),
  images: new Ec2Images(ec2),
  listener: new ElbListener(new ElasticLoadBalancingV2Client({})),
  parameters: new SsmRuntimeParameters(new SSMClient({})),
};
const db = new DynamoDBClient({});
const sfn = new SFNClient({});
const sns = new SNSClient({});
const config = fromEnvironment(
  ['FLEET', 'ON_INTERACTIVE_ACCESS', 'TABLE_NAME', 'STATE_MACHINE_ARN', 'TOPIC_ARN'],
  (env) => {
    const policy = env.ON_INTERACTIVE_ACCESS;
    if (!ON_INTERACTIVE_ACCESS.includes(policy as OnInteractiveAccess))
      throw new Error(`ON_INTERACTIVE_ACCESS must be "replace" or "alert", got ${JSON.stringify(policy)}`);
    const fleet = JSON.parse(env.FLEET ?? '{}') as Omit<FleetCheckSettings, 'onInteractiveAccess'>;
    return {
      settings: { ...fleet, onInteractiveAccess: policy as OnInteractiveAccess },
      ledger: new DynamoDbLedgerStore(db, env.TABLE_NAME ?? ''),
      executions: new StepFunctionsExecutions(sfn, env.STATE_MACHINE_ARN ?? ''),
      notifier: new SnsNotifier(sns, env.TOPIC_ARN ?? ''),
    };
  },
);
checkAtColdStart(config);

/** On a schedule: the fleet's age, shape and drift as metrics; tainted instances replaced once the lock is free. */
export const handler = async () => {
  const { settings, ...deps } = config();
  const result = await checkFleet(settings, { ...reads, ...deps, now: new Date() });
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
