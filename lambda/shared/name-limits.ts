import type { EnvironmentName } from './environments';
import {
  busPolicyStatementId,
  environmentStackName,
  fleetAlarmNames,
  fleetGroupName,
  fleetLaunchTemplateName,
  fleetLogGroupName,
  rolloutNames,
  runtimeParameters,
} from './names';
import { operationsNames } from './operations';
import { keepTag, releasedTag } from './tags';

/** A name built from an environment's name, and the most characters AWS takes for it. */
export interface DerivedName {
  /** What the name is (for messages). */
  readonly what: string;
  readonly name: (env: EnvironmentName) => string;
  readonly maxLength: number;
  /** Where AWS states the limit. */
  readonly see: string;
}

/**
 * Every fixed name the product builds from an environment's name, with AWS's limit on it. The
 * load balancer and its target groups, whose names AWS caps at 32 characters, are not among them:
 * the product gives them no name, and CloudFormation generates one that fits
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html,
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html).
 * Nor are the names the functions, roles and rules get from their stack's name: CloudFormation
 * shortens those to fit.
 */
export const DERIVED_NAMES: readonly DerivedName[] = [
  {
    what: 'CloudFormation stack',
    name: environmentStackName,
    maxLength: 128,
    see: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStack.html',
  },
  {
    what: 'rollout trigger dead-letter queue (SQS)',
    name: (env) => rolloutNames(env).deadLetters,
    maxLength: 80,
    see: 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html',
  },
  {
    what: 'fleet check rule (EventBridge)',
    name: (env) => operationsNames(env).fleetCheckSchedule,
    maxLength: 64,
    see: 'https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html',
  },
  {
    what: 'phoenix schedule (EventBridge Scheduler)',
    name: (env) => rolloutNames(env).phoenixSchedule,
    maxLength: 64,
    see: 'https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html',
  },
  {
    what: 'promotion state machine (Step Functions)',
    name: (env) => rolloutNames(env).promotionStateMachine,
    maxLength: 80,
    see: 'https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachine.html',
  },
  {
    what: 'bus policy statement (EventBridge)',
    name: (env) => busPolicyStatementId(env, '123456789012'),
    maxLength: 64,
    see: 'https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutPermission.html',
  },
  {
    what: 'rollout topic (SNS)',
    name: (env) => rolloutNames(env).topic,
    maxLength: 256,
    see: 'https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html',
  },
  {
    what: 'launch template',
    name: fleetLaunchTemplateName,
    maxLength: 128,
    see: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplate.html',
  },
  {
    what: 'Auto Scaling group',
    name: (env) => fleetGroupName(env, 'green'),
    maxLength: 255,
    see: 'https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_CreateAutoScalingGroup.html',
  },
  {
    what: 'fleet alarm (CloudWatch)',
    name: (env) => fleetAlarmNames(env, 'green').unhealthyHosts,
    maxLength: 255,
    see: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html',
  },
  {
    what: 'dashboard (CloudWatch)',
    name: (env) => operationsNames(env).dashboard,
    maxLength: 255,
    see: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html',
  },
  {
    what: 'fleet log group',
    name: fleetLogGroupName,
    maxLength: 512,
    see: 'https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html',
  },
  {
    // The 1011 characters include the ARN before the name (arn:<partition>:ssm:<region>:<account>:parameter),
    // under 64 characters in any partition and region.
    what: 'runtime parameter (SSM)',
    name: (env) => runtimeParameters(env).launchTemplateVersion('green'),
    maxLength: 1011 - 64,
    see: 'https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html',
  },
  {
    what: 'rollback-candidate tag key (AMI)',
    name: keepTag,
    maxLength: 128,
    see: 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_Tags.html#tag-restrictions',
  },
  {
    what: 'release tag key (AMI)',
    name: releasedTag,
    maxLength: 128,
    see: 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_Tags.html#tag-restrictions',
  },
];

/** How many characters each derived name adds to the environment's name. */
const overhead = (d: DerivedName) => d.name('').length;

/** The derived name that leaves the environment's name the fewest characters. */
export const TIGHTEST_DERIVED_NAME: DerivedName = DERIVED_NAMES.reduce((tightest, d) =>
  d.maxLength - overhead(d) < tightest.maxLength - overhead(tightest) ? d : tightest,
);

/** The longest environment name every derived name still fits. */
export const MAX_ENVIRONMENT_NAME_LENGTH = TIGHTEST_DERIVED_NAME.maxLength - overhead(TIGHTEST_DERIVED_NAME);
