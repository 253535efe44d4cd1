import { Match } from 'aws-cdk-lib/assertions';
import type { Template } from 'aws-cdk-lib/assertions';
import { configOf } from '../../support/synth';
import { productTemplate } from '../../support/templates';

const ENVS = ['dev', 'staging', 'prod'] as const;

const checkFunction = (t: Template) => {
  const [id, fn] =
    Object.entries(
      t.findResources('AWS::Lambda::Function', { Metadata: { 'immutable:handler': 'check-fleet' } }),
    )[0] ?? [];
  return { id: id as string, fn: fn as any };
};

const widgetsOf = (t: Template, env: string): any[] => {
  const [dashboard] = Object.values(
    t.findResources('AWS::CloudWatch::Dashboard', { Properties: { DashboardName: `immutable-${env}` } }),
  ) as any[];
  const body = dashboard.Properties.DashboardBody;
  // The body is a join around tokens (alarm ARNs, queue names): placeholders keep it valid JSON.
  const text =
    typeof body === 'string'
      ? body
      : (body['Fn::Join'][1] as unknown[]).map((p) => (typeof p === 'string' ? p : 'TOKEN')).join('');
  return JSON.parse(text).widgets;
};

describe('fleet check', () => {
  it.each(ENVS)('%s: runs every 15 minutes, whether or not rollouts run', (env) => {
    const t = productTemplate(env);
    t.hasResourceProperties('AWS::Events::Rule', {
      Name: `immutable-${env}-fleet-check`,
      ScheduleExpression: 'rate(15 minutes)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [checkFunction(t).id, 'Arn'] } })],
    });
  });

  it.each(ENVS)(
    '%s: alarms to the topic when the oldest instance is past maxInstanceAgeDays plus the grace',
    (env) => {
      const { rollout } = configOf(env);
      productTemplate(env).hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `immutable-${env}-fleet-age`,
        MetricName: 'OldestInstanceAgeDays',
        Namespace: 'ImmutableFleet',
        Dimensions: Match.arrayWith([{ Name: 'environment', Value: env }]),
        Threshold: rollout.maxInstanceAgeDays + rollout.fleetAgeGraceDays,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'breaching',
        AlarmActions: [Match.objectLike({ Ref: Match.stringLikeRegexp('^RolloutNotifications') })],
      });
    },
  );

  it.each(ENVS)('%s: alarms on drift found twice in a row', (env) => {
    productTemplate(env).hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `immutable-${env}-drift`,
      MetricName: 'DriftFindings',
      Threshold: 0,
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
    });
  });

  it.each(ENVS)('%s: reads the runtime parameters without being able to write them', (env) => {
    const t = productTemplate(env);
    const role = checkFunction(t).fn.Properties.Role['Fn::GetAtt'][0];
    const actions = Object.values(
      t.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: role }] } }),
    )
      .flatMap((p: any) => p.Properties.PolicyDocument.Statement)
      .flatMap((s: any) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    expect(actions).toContain('ssm:GetParameter');
    expect(actions).not.toContain('ssm:PutParameter');
    expect(
      actions.filter((a: string) => /Terminate|Detach|Update|Modify|Put(Item|Parameter)/.test(a)),
    ).toEqual([]);
  });
});

describe('dashboard', () => {
  it.each(ENVS)('%s: one dashboard with the fleet, rollout, canary and trigger widgets', (env) => {
    const titles = widgetsOf(productTemplate(env), env).map((w) => w.properties.title ?? w.type);
    expect(titles).toEqual([
      'text',
      'Alarms',
      'Instances per image',
      'Instances per colour',
      'Released image age (days)',
      'Instance age (days)',
      'Drift findings and tainted instances',
      'Rollouts',
      'Rollout duration (s)',
      'blue: 5xx ratio',
      'blue: p99 latency',
      'green: 5xx ratio',
      'green: p99 latency',
      'Rollout trigger dead letters',
    ]);
  });

  it.each(ENVS)('%s: instance age is drawn against maxInstanceAgeDays and the alarm threshold', (env) => {
    const { rollout } = configOf(env);
    const age = widgetsOf(productTemplate(env), env).find(
      (w) => w.properties.title === 'Instance age (days)',
    );
    expect(age.properties.annotations.horizontal.map((a: any) => a.value)).toEqual([
      rollout.maxInstanceAgeDays,
      rollout.maxInstanceAgeDays + rollout.fleetAgeGraceDays,
    ]);
  });

  it.each(ENVS)(
    '%s: instances per image are found by a search, AMI ids being known only at run time',
    (env) => {
      const perImage = widgetsOf(productTemplate(env), env).find(
        (w) => w.properties.title === 'Instances per image',
      );
      expect(JSON.stringify(perImage.properties.metrics)).toContain(
        `SEARCH('{ImmutableFleet,image,environment,service} MetricName=\\"FleetInstances\\" environment=\\"${env}\\"'`,
      );
    },
  );
});
