import { Match } from 'aws-cdk-lib/assertions';
import { PRODUCT_EVENTS } from '../../../lambda/shared/events';
import { rolloutInputSchema } from '../../../lambda/shared/input-schema';
import type { EnvironmentConfig } from '../../../lib/config';
import type { ImmutableStack } from '../../../lib/stacks/immutable-stack';
import { configOf, testApp } from '../../support/synth';
import { shippedProduct } from '../../support/shipped-product';
import type { TestApp } from '../../support/synth';
import { render, rendered } from './rollout-template';

const ENVS = ['dev', 'staging', 'prod'] as const;
type Env = (typeof ENVS)[number];

interface RuleResource {
  readonly Properties: {
    readonly EventPattern: Record<string, unknown>;
    readonly Targets: { Arn: unknown; RetryPolicy?: Record<string, number> }[];
  };
}

let app: TestApp;
let variant: TestApp;
const stacks = {} as Record<Env, ImmutableStack>;

/** dev with its schedule switched off and no flexible window. */
function quietDev(): EnvironmentConfig {
  const config = configOf('dev');
  config.rollout.phoenixSchedule = {
    ...config.rollout.phoenixSchedule,
    enabled: false,
    flexibleWindowMinutes: 0,
  };
  return config;
}

beforeAll(() => {
  app = shippedProduct();
  for (const env of ENVS) {
    stacks[env] = app.stack(env);
    app.template(env);
  }
  variant = testApp({ environments: [quietDev()] });
  variant.template('dev');
});
afterAll(() => {
  app.cleanup();
  variant.cleanup();
});

const rulesOf = (env: Env, source: string): [string, RuleResource][] =>
  Object.entries(app.template(env).findResources('AWS::Events::Rule') as Record<string, RuleResource>).filter(
    ([, r]) => ((r.Properties.EventPattern?.source ?? []) as string[]).includes(source),
  );

const functionArn = (
  env: Env,
  handler: 'on-image-available' | 'release-abandoned-lock' | 'on-upstream-release',
) => rendered(stacks[env], stacks[env].rollout.functions.get(handler).functionArn);

/** Filter values whose `*` EventBridge matches literally (only `wildcard` treats it as one). */
function literalStars(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(literalStars);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) =>
    ['prefix', 'suffix', 'equals-ignore-case'].includes(k) && render(v).includes('*')
      ? [render(v)]
      : literalStars(v),
  );
}

describe('new image trigger', () => {
  const { source } = PRODUCT_EVENTS.imageAvailable;

  it.each(ENVS)("%s: the image factory's Image Available invokes on-image-available, with retries", (env) => {
    const rules = rulesOf(env, source);
    expect(rules).toHaveLength(1);
    const [, rule] = rules[0] as [string, RuleResource];
    expect(rule.Properties.EventPattern).toEqual({
      source: ['immutable.images'],
      'detail-type': ['Image Available'],
      // one account: the factory's announcements come from this stack's own account
      account: [{ Ref: 'AWS::AccountId' }],
    });
    expect(rule.Properties.Targets.map((t) => [render(t.Arn), t.RetryPolicy])).toEqual([
      [functionArn(env, 'on-image-available'), { MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 7200 }],
    ]);
  });

  it.each(ENVS)('%s: no rule listens to Image Builder itself any more: the factory announces', (env) => {
    expect(rulesOf(env, 'aws.imagebuilder')).toEqual([]);
  });

  it.each(ENVS)('%s: no prefix or suffix filter holds a * (EventBridge would take it literally)', (env) => {
    const rules = Object.values(
      app.template(env).findResources('AWS::Events::Rule') as Record<string, RuleResource>,
    );
    expect(rules.length).toBeGreaterThan(1);
    expect(rules.flatMap((r) => literalStars(r.Properties.EventPattern))).toEqual([]);
  });

  it('fails when the image filter is a prefix ending in *', () => {
    const pattern = { resources: [{ prefix: 'arn:aws:imagebuilder:eu-west-1:111111111111:image/x_*' }] };
    expect(literalStars(pattern)).toEqual(['arn:aws:imagebuilder:eu-west-1:111111111111:image/x_*']);
  });

  it.each(ENVS)('%s: EventBridge may invoke on-image-available for this rule only', (env) => {
    const [ruleId] = rulesOf(env, source)[0] as [string, RuleResource];
    app.template(env).hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RolloutFunctionsonimageavailable'), 'Arn'] },
      SourceArn: { 'Fn::GetAtt': [ruleId, 'Arn'] },
    });
  });
});

describe('upstream release trigger', () => {
  it('dev takes the factory’s images: it listens to no environment’s releases', () => {
    expect(rulesOf('dev', PRODUCT_EVENTS.imageReleased.source)).toEqual([]);
  });

  it.each([
    ['staging', 'dev'],
    ['prod', 'staging'],
  ] as const)("%s: %s's Image Released, from its account, invokes on-upstream-release", (env, upstream) => {
    const rules = rulesOf(env, PRODUCT_EVENTS.imageReleased.source);
    expect(rules).toHaveLength(1);
    const [ruleId, rule] = rules[0] as [string, RuleResource];
    expect(rule.Properties.EventPattern).toEqual({
      source: ['immutable.rollout'],
      'detail-type': ['Image Released'],
      account: [{ Ref: 'AWS::AccountId' }],
      detail: { environment: [upstream] },
    });
    expect(rule.Properties.Targets.map((t) => [render(t.Arn), t.RetryPolicy])).toEqual([
      [functionArn(env, 'on-upstream-release'), { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 21600 }],
    ]);
    app.template(env).hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'events.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RolloutFunctionsonupstreamrelease'), 'Arn'] },
      SourceArn: { 'Fn::GetAtt': [ruleId, 'Arn'] },
    });
  });
});

describe('phoenix schedule', () => {
  it.each(ENVS)('%s: the configured cron, timezone and flexible window start a phoenix rotation', (env) => {
    const s = stacks[env].config.rollout.phoenixSchedule;
    app.template(env).hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: `immutable-${env}-phoenix`,
      ScheduleExpression: s.cron,
      ScheduleExpressionTimezone: s.timezone,
      FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: s.flexibleWindowMinutes },
      State: 'ENABLED',
      Target: {
        Arn: stacks[env].resolve(stacks[env].rollout.stateMachine.stateMachineArn) as unknown,
        RetryPolicy: { MaximumRetryAttempts: 3 },
      },
    });
  });

  it.each(ENVS)('%s: its input is a scheduled phoenix the workflow accepts', (env) => {
    const schedules = Object.values(
      app.template(env).findResources('AWS::Scheduler::Schedule') as Record<
        string,
        { Properties: { Target: { Input: string } } }
      >,
    );
    expect(schedules).toHaveLength(1);
    const input = JSON.parse(schedules[0]?.Properties.Target.Input as string) as unknown;
    expect(input).toEqual({ action: 'phoenix', trigger: 'schedule', reason: expect.any(String) as string });
    expect(rolloutInputSchema.safeParse(input).success).toBe(true);
  });

  it('is switched off and exact when the configuration says so', () => {
    variant.template('dev').hasResourceProperties('AWS::Scheduler::Schedule', {
      State: 'DISABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
    });
  });
});

describe('abandoned lock janitor', () => {
  it.each(ENVS)(
    '%s: a stopped, timed-out or failed execution of this state machine frees its lock',
    (env) => {
      const rules = rulesOf(env, 'aws.states');
      expect(rules).toHaveLength(1);
      const [ruleId, rule] = rules[0] as [string, RuleResource];
      expect(rule.Properties.EventPattern).toEqual({
        source: ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        detail: {
          stateMachineArn: [stacks[env].resolve(stacks[env].rollout.stateMachine.stateMachineArn)],
          status: ['ABORTED', 'TIMED_OUT', 'FAILED'],
        },
      });
      const [target] = rule.Properties.Targets;
      expect(render(target?.Arn)).toBe(functionArn(env, 'release-abandoned-lock'));
      expect(target?.RetryPolicy?.MaximumRetryAttempts).toBeGreaterThan(0);
      app.template(env).hasResourceProperties('AWS::Lambda::Permission', {
        Principal: 'events.amazonaws.com',
        FunctionName: {
          'Fn::GetAtt': [Match.stringLikeRegexp('^RolloutFunctionsreleaseabandonedlock'), 'Arn'],
        },
        SourceArn: { 'Fn::GetAtt': [ruleId, 'Arn'] },
      });
    },
  );
});

describe('automatic restore', () => {
  it.each(ENVS)('%s: the janitor may start this state machine, which its environment names', (env) => {
    const stack = stacks[env];
    const janitor = stack.rollout.functions.get('release-abandoned-lock');
    const variables = (
      app.template(env).toJSON().Resources[stack.getLogicalId(janitor.node.defaultChild as never)] as {
        Properties: { Environment: { Variables: Record<string, unknown> } };
      }
    ).Properties.Environment.Variables;
    expect(stack.resolve(variables.STATE_MACHINE_ARN)).toEqual(
      stack.resolve(stack.rollout.stateMachine.stateMachineArn),
    );
    app.template(env).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^RolloutFunctionsreleaseabandonedlockrole') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'states:StartExecution',
            Resource: stack.resolve(stack.rollout.stateMachine.stateMachineArn),
          }),
        ]),
      },
    });
  });

  it.each(ENVS)('%s: a restore refused beyond the hourly bound raises an alarm on the topic', (env) => {
    app.template(env).hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `immutable-${env}-automatic-restores-refused`,
      Namespace: 'ImmutableFleet',
      MetricName: 'AutomaticRestoresRefused',
      Dimensions: [{ Name: 'service', Value: 'immutable-rollout' }],
      Statistic: 'Sum',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^RolloutNotifications') }],
    });
  });
});

describe('failed triggers are kept, not lost', () => {
  it.each(['dev', 'prod'] as const)(
    '%s: an encrypted, TLS-only dead-letter queue watched by an alarm on the topic',
    (env) => {
      const t = app.template(env);
      t.hasResourceProperties('AWS::SQS::Queue', {
        QueueName: `immutable-${env}-rollout-trigger-dead-letters`,
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 14 * 24 * 3600,
      });
      t.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `immutable-${env}-rollout-trigger-dead-letters`,
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: [{ Ref: Match.stringLikeRegexp('^RolloutNotifications') }],
      });
    },
  );

  it.each(['dev', 'prod'] as const)(
    '%s: both rules and the schedule send what they cannot deliver there',
    (env) => {
      const t = app.template(env);
      const dlq = {
        DeadLetterConfig: {
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RolloutTriggerDeadLetters'), 'Arn'] },
        },
      };
      for (const rule of Object.values(t.findResources('AWS::Events::Rule'))) {
        expect(rule.Properties.Targets).toEqual([
          expect.objectContaining({ DeadLetterConfig: expect.anything() }),
        ]);
      }
      t.hasResourceProperties('AWS::Events::Rule', { Targets: [Match.objectLike(dlq)] });
      t.hasResourceProperties('AWS::Scheduler::Schedule', { Target: Match.objectLike(dlq) });
    },
  );

  it.each([
    ['dev', ['on-image-available', 'release-abandoned-lock']],
    ['prod', ['on-image-available', 'on-upstream-release', 'release-abandoned-lock']],
  ] as const)(
    '%s: the trigger functions send their own failures there after two retries',
    (env, triggered) => {
      const t = app.template(env);
      const configs = Object.values(t.findResources('AWS::Lambda::EventInvokeConfig'));
      const { interactiveAccess, fleetCheck } = stacks[env].operations;
      expect(configs.map((c) => render(c.Properties.FunctionName)).sort()).toEqual(
        [
          ...triggered.map((h) => rendered(stacks[env], stacks[env].rollout.functions.get(h).functionName)),
          rendered(stacks[env], interactiveAccess.function.functionName),
          rendered(stacks[env], fleetCheck.function.functionName),
        ].sort(),
      );
      for (const c of configs) {
        expect(c.Properties).toMatchObject({
          MaximumRetryAttempts: 2,
          DestinationConfig: {
            OnFailure: {
              Destination: { 'Fn::GetAtt': [expect.stringMatching(/^RolloutTriggerDeadLetters/), 'Arn'] },
            },
          },
        });
      }
    },
  );
});
