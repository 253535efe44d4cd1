import type { Template } from 'aws-cdk-lib/assertions';
import { testApp } from '../support/synth';
import { factoryTemplate, productTemplate } from '../support/templates';

const ENVS = ['dev', 'staging', 'prod'] as const;
beforeAll(() => {
  for (const env of ENVS) productTemplate(env);
});

/** The logical id of the one resource of `type` whose `property` is `value`. */
function idOf(template: Template, type: string, property: string, value: unknown): string {
  const found = Object.keys(template.findResources(type, { Properties: { [property]: value } }));
  expect({ type, value, found: found.length }).toEqual({ type, value, found: 1 });
  return found[0] as string;
}

/**
 * CloudFormation knows a deployed resource by its logical id: a new one replaces the resource,
 * and for a resource with a fixed name the replacement fails. These are the ids the stateful
 * and named resources were first deployed with; moving their constructs must not change them.
 */
describe('deployed resources keep their logical ids', () => {
  it.each(ENVS)(
    '%s: ledger, topic and its key, state machine and its logs, trigger queue, alarm and schedule',
    (env) => {
      const t = productTemplate(env);
      const stateMachine = idOf(
        t,
        'AWS::StepFunctions::StateMachine',
        'StateMachineName',
        `immutable-${env}-rollout`,
      );
      const topic = idOf(t, 'AWS::SNS::Topic', 'TopicName', `immutable-${env}-rollouts`);
      const resources = t.toJSON().Resources as Record<string, { Properties: any }>;
      const logs =
        resources[stateMachine]?.Properties.LoggingConfiguration.Destinations[0].CloudWatchLogsLogGroup
          .LogGroupArn['Fn::GetAtt'][0];
      const key = resources[topic]?.Properties.KmsMasterKeyId['Fn::GetAtt'][0];
      expect({
        ledger: Object.keys(t.findResources('AWS::DynamoDB::GlobalTable')).join(),
        topic,
        key,
        stateMachine,
        logs,
        queue: idOf(t, 'AWS::SQS::Queue', 'QueueName', `immutable-${env}-rollout-trigger-dead-letters`),
        alarm: idOf(
          t,
          'AWS::CloudWatch::Alarm',
          'AlarmName',
          `immutable-${env}-rollout-trigger-dead-letters`,
        ),
        schedule: idOf(t, 'AWS::Scheduler::Schedule', 'Name', `immutable-${env}-phoenix`),
      }).toEqual({
        ledger: 'RolloutLedgerFABFA90A',
        topic: 'RolloutNotifications4B6B4BC0',
        key: 'RolloutTopicKeyCF42F2AE',
        stateMachine: 'RolloutStateMachine7091FF70',
        logs: 'RolloutExecutionLogsE3EECCA1',
        queue: 'RolloutTriggerDeadLetters5D4DBB9C',
        alarm: 'RolloutTriggerDeadLettersAlarm68BDF69F',
        schedule: 'RolloutPhoenixSchedule165D3095',
      });
    },
  );

  it.each(ENVS)('%s: the VPC the fleet built before the stack took the network over', (env) => {
    const vpcs = Object.keys(productTemplate(env).findResources('AWS::EC2::VPC'));
    expect(vpcs).toEqual(['FleetNetworkVpc1D3150DF']);
  });

  it.each([
    [
      'dev',
      'FleetGroupsInstanceSecurityGrouptoImmutabledevFleetNetworkEndpointSecurityGroupAE8490C544304A62BEA',
    ],
    [
      'prod',
      'FleetGroupsInstanceSecurityGrouptoImmutableprodFleetNetworkEndpointSecurityGroup794D998A443889AC83D',
    ],
  ] as const)(
    "%s: the instances' rule to the endpoints, named after the endpoints' moved security group",
    (env, deployed) => {
      const rules = productTemplate(env).findResources('AWS::EC2::SecurityGroupEgress', {
        Properties: { Description: 'AWS APIs through interface endpoints' },
      });
      // Recreating it under a new id would fail: EC2 refuses a duplicate of an existing rule.
      expect(Object.keys(rules)).toEqual([deployed]);
    },
  );
});

describe('outputs operators look up', () => {
  it.each(ENVS)('%s: the ledger table and the rollout topic, by stable keys', (env) => {
    const outputs = productTemplate(env).toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.RolloutTopicArn?.Value).toEqual({ Ref: 'RolloutNotifications4B6B4BC0' });
    expect(outputs.LedgerTableName?.Value).toEqual({ Ref: 'RolloutLedgerFABFA90A' });
  });

  it('the image factory: its image topic, the one its pipeline notifies', () => {
    const factory = factoryTemplate();
    const outputs = factory.toJSON().Outputs as Record<string, { Value: unknown }>;
    const pipelines = Object.values(factory.findResources('AWS::ImageBuilder::InfrastructureConfiguration'));
    expect(pipelines).toHaveLength(1);
    expect(outputs.ImageTopicArn?.Value).toEqual(
      (pipelines[0] as { Properties: { SnsTopicArn: unknown } }).Properties.SnsTopicArn,
    );
    expect(outputs.ImageTopicArn?.Value).toEqual({ Ref: expect.stringMatching(/^BakeNotificationsTopic/) });
  });
});

describe('an environment that is not deployable yet', () => {
  it('synthesizes, with a warning on its stack that says why', () => {
    const app = testApp();
    try {
      const warnings = (env: (typeof ENVS)[number]) =>
        app
          .stack(env)
          .node.metadata.filter((m) => m.type === 'aws:cdk:warning')
          .map((m) => String(m.data));
      expect(warnings('prod')).toEqual([
        expect.stringMatching(
          /^prod is not deployable yet: fleet\.loadBalancer\.certificateArn .* \[ack: immutable:not-deployable\]$/,
        ),
        expect.stringMatching(
          /^prod is not deployable yet: rollout\.notificationEmails .* \[ack: immutable:not-deployable\]$/,
        ),
      ]);
      expect(warnings('dev')).toEqual([
        expect.stringMatching(/^dev is not deployable yet: rollout\.notificationEmails/),
      ]);
    } finally {
      app.cleanup();
    }
  });
});
