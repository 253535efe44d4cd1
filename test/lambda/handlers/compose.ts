import type { Composition, Variables } from '../../../lambda/runtime/composition';
import { STEP_SETTINGS_VARIABLE, stepSettingsOf } from '../../../lambda/shared/step-settings';
import type { StepHandler } from '../../../lambda/shared/step-settings';
import type { WorkflowSettings } from '../../../lambda/shared/settings';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { ImagebuilderClient } from '@aws-sdk/client-imagebuilder';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { NOW, settings } from '../fixtures';

interface Module<C, E, R> {
  readonly configure: (variables: Variables) => C;
  readonly create: (parts: Composition<C, never>) => (event: E) => Promise<R>;
}

/** Real SDK clients of `region`, which the tests mock with aws-sdk-client-mock (by class). */
export function sdkClients(region: string) {
  const config = { region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
  return {
    autoScaling: new AutoScalingClient(config),
    ec2: new EC2Client(config),
    ec2In: (r: string) => new EC2Client({ ...config, region: r }),
    elbv2: new ElasticLoadBalancingV2Client(config),
    cloudWatch: new CloudWatchClient(config),
    dynamodb: new DynamoDBClient(config),
    ssm: new SSMClient(config),
    sns: new SNSClient(config),
    sfn: new SFNClient(config),
    events: new EventBridgeClient(config),
    imageBuilder: new ImagebuilderClient(config),
  };
}

/**
 * A handler module built as its deployment builds it: configured from `variables`, on SDK
 * clients (which the test mocks with aws-sdk-client-mock), with the clock stopped at NOW.
 */
export function compose<C, E, R>(
  module: Module<C, E, R>,
  variables: Variables,
  clock: () => Date = () => NOW,
): (event: E) => Promise<R> {
  const create = module.create as (parts: Composition<C, object>) => (event: E) => Promise<R>;
  return create({ config: module.configure(variables), clients: sdkClients('eu-west-1'), clock });
}

/** The variables of a rollout step deployed with the fixtures' settings, changed as given. */
export function stepVariables(step: StepHandler, overrides: Partial<WorkflowSettings> = {}): Variables {
  return { [STEP_SETTINGS_VARIABLE]: JSON.stringify(stepSettingsOf(step, settings(overrides))) };
}
