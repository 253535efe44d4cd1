import { Duration, Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { Match } from 'aws-cdk-lib/assertions';
import { configOf, factoryConfig } from '../../support/synth';
import { productTemplate } from '../../support/templates';
import { templateOf } from '../../support/bare-stack';
import { RUNTIME_PARAMETER_IDS } from '../../../lib/constructs/fleet';
import type { ImmutableFleet } from '../../../lib/constructs/fleet';
import { fleetStack } from './fleet-stack';

const GROUP = 'AWS::AutoScaling::AutoScalingGroup';
const LISTENER = 'AWS::ElasticLoadBalancingV2::Listener';
const INGRESS = 'AWS::EC2::SecurityGroupIngress';

/** The shipped configuration's templates, from the run's single synthesis. */
let dev: Template;
let staging: Template;
let prod: Template;
/** prod's fleet alone, for what it gives the workflow, and its own template for the ids it resolves to. */
let prodFleet: ImmutableFleet;
let prodFleetTemplate: Template;

beforeAll(() => {
  dev = productTemplate('dev');
  staging = productTemplate('staging');
  prod = productTemplate('prod');
  const built = fleetStack('prod');
  prodFleet = built.fleet;
  prodFleetTemplate = templateOf(built.stack);
});

const logicalIdOf = (template: Template, type: string, props: object) => {
  const found = Object.keys(template.findResources(type, { Properties: props }));
  expect(found).toHaveLength(1);
  return found[0]!;
};

describe('load balancer and listener', () => {
  it('serves prod over HTTPS with a current TLS policy and redirects port 80', () => {
    prod.hasResourceProperties(LISTENER, {
      Port: 443,
      Protocol: 'HTTPS',
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09',
      Certificates: [{ CertificateArn: configOf('prod').fleet.loadBalancer.certificateArn }],
      DefaultActions: [Match.objectLike({ Type: 'forward' })],
    });
    prod.hasResourceProperties(LISTENER, {
      Port: 80,
      Protocol: 'HTTP',
      DefaultActions: [
        { Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } },
      ],
    });
    prod.resourceCountIs(LISTENER, 2);
  });

  it('serves dev over plain HTTP on port 80 only (no certificate configured)', () => {
    dev.resourceCountIs(LISTENER, 1);
    dev.hasResourceProperties(LISTENER, { Port: 80, Protocol: 'HTTP', Certificates: Match.absent() });
  });

  it('forwards to blue and green with weights read from the runtime parameter', () => {
    for (const template of [dev, prod]) {
      template.hasResourceProperties(LISTENER, {
        DefaultActions: [
          {
            Type: 'forward',
            ForwardConfig: {
              TargetGroups: [
                {
                  TargetGroupArn: Match.anyValue(),
                  Weight: { 'Fn::Select': [0, { Ref: RUNTIME_PARAMETER_IDS.listenerWeights }] },
                },
                {
                  TargetGroupArn: Match.anyValue(),
                  Weight: { 'Fn::Select': [1, { Ref: RUNTIME_PARAMETER_IDS.listenerWeights }] },
                },
              ],
              TargetGroupStickinessConfig: Match.absent(),
            },
          },
        ],
      });
    }
  });

  it('drops invalid headers, logs access and protects prod from deletion', () => {
    const attributes = (deletion: string) =>
      Match.arrayWith([
        { Key: 'deletion_protection.enabled', Value: deletion },
        { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
        { Key: 'access_logs.s3.enabled', Value: 'true' },
        { Key: 'access_logs.s3.bucket', Value: Match.anyValue() },
        { Key: 'access_logs.s3.prefix', Value: 'alb' },
      ]);
    prod.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Scheme: 'internet-facing',
      LoadBalancerAttributes: attributes('true'),
    });
    dev.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: attributes('false'),
    });
  });

  it('keeps access logs in an SSE-S3 bucket with public access blocked and TLS enforced', () => {
    prod.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ ExpirationInDays: 365 })]) },
    });
    prod.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Action: 's3:PutObject',
            Principal: Match.objectLike({ Service: 'logdelivery.elasticloadbalancing.amazonaws.com' }),
          }),
        ]),
      },
    });
  });

  it('writes access logs only after the bucket policy allows it', () => {
    const policy = Object.keys(prod.findResources('AWS::S3::BucketPolicy'))[0]!;
    prod.hasResource('AWS::ElasticLoadBalancingV2::LoadBalancer', { DependsOn: Match.arrayWith([policy]) });
  });

  it('admits clients only from the configured CIDR on the listener ports', () => {
    prod.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('^Load balancer'),
      SecurityGroupIngress: [
        { CidrIp: '0.0.0.0/0', FromPort: 443, ToPort: 443, IpProtocol: 'tcp', Description: Match.anyValue() },
        { CidrIp: '0.0.0.0/0', FromPort: 80, ToPort: 80, IpProtocol: 'tcp', Description: Match.anyValue() },
      ],
      SecurityGroupEgress: Match.absent(),
    });
    dev.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('^Load balancer'),
      SecurityGroupIngress: [
        { CidrIp: '0.0.0.0/0', FromPort: 80, ToPort: 80, IpProtocol: 'tcp', Description: Match.anyValue() },
      ],
    });
  });
});

describe('target groups', () => {
  it('checks health as configured and drains quickly for rotations', () => {
    const hc = configOf('prod').fleet.healthCheck;
    // The port and the path are the application's, from the image factory.
    const served = factoryConfig().app;
    expect([served.port, served.healthCheckPath]).toEqual([8080, '/health']);
    prod.resourceCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', 2);
    for (const colour of ['blue', 'green']) {
      prod.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
        Port: served.port,
        Protocol: 'HTTP',
        TargetType: 'instance',
        HealthCheckEnabled: true,
        HealthCheckPath: served.healthCheckPath,
        HealthCheckIntervalSeconds: hc.intervalSeconds,
        HealthCheckTimeoutSeconds: hc.timeoutSeconds,
        HealthyThresholdCount: hc.healthyThreshold,
        UnhealthyThresholdCount: hc.unhealthyThreshold,
        Matcher: { HttpCode: '200' },
        TargetGroupAttributes: Match.arrayWith([
          { Key: 'deregistration_delay.timeout_seconds', Value: '30' },
        ]),
        Tags: Match.arrayWith([{ Key: 'immutable:colour', Value: colour }]),
      });
    }
  });
});

describe('auto scaling groups', () => {
  it('names each group after its environment and colour', () => {
    for (const colour of ['blue', 'green'] as const) {
      prod.hasResourceProperties(GROUP, {
        AutoScalingGroupName: `immutable-prod-${colour}`,
        Tags: Match.arrayWith([{ Key: 'immutable:colour', Value: colour, PropagateAtLaunch: true }]),
      });
    }
    expect(prodFleet.groupNames).toEqual({
      blue: 'immutable-prod-blue',
      green: 'immutable-prod-green',
    });
  });

  it('leaves size to the workflow: MinSize 0, MaxSize from config, no DesiredCapacity', () => {
    for (const [template, env] of [
      [dev, 'dev'],
      [staging, 'staging'],
      [prod, 'prod'],
    ] as const) {
      template.resourceCountIs(GROUP, 2);
      template.allResourcesProperties(GROUP, {
        MinSize: '0',
        MaxSize: String(configOf(env).fleet.capacity.max),
        DesiredCapacity: Match.absent(),
      });
    }
  });

  it("runs the explicit launch-template version held in each colour's SSM parameter", () => {
    for (const colour of ['blue', 'green'] as const) {
      prod.hasResourceProperties(GROUP, {
        AutoScalingGroupName: `immutable-prod-${colour}`,
        LaunchTemplate: {
          LaunchTemplateId: { Ref: Match.stringLikeRegexp('LaunchTemplate') },
          Version: { Ref: RUNTIME_PARAMETER_IDS.launchTemplateVersion[colour] },
        },
      });
      prod.hasParameter(RUNTIME_PARAMETER_IDS.launchTemplateVersion[colour], {
        Type: 'AWS::SSM::Parameter::Value<String>',
        Default: `/immutable/prod/fleet/${colour}/launch-template-version`,
      });
    }
  });

  it('replaces instances the load balancer finds unhealthy, after the grace period', () => {
    const grace = configOf('prod').fleet.healthCheck.gracePeriodSeconds;
    prod.allResourcesProperties(GROUP, {
      HealthCheckType: 'ELB',
      HealthCheckGracePeriod: grace,
      DefaultInstanceWarmup: grace,
      CapacityRebalance: true,
      TerminationPolicies: ['OldestLaunchTemplate', 'OldestInstance'],
      MetricsCollection: [{ Granularity: '1Minute' }],
    });
  });

  it("registers each group into its own colour's target group", () => {
    for (const colour of ['Blue', 'Green']) {
      const targetGroup = logicalIdOf(prod, 'AWS::ElasticLoadBalancingV2::TargetGroup', {
        Tags: Match.arrayWith([{ Key: 'immutable:colour', Value: colour.toLowerCase() }]),
      });
      prod.hasResourceProperties(GROUP, {
        AutoScalingGroupName: `immutable-prod-${colour.toLowerCase()}`,
        TargetGroupARNs: [{ Ref: targetGroup }],
      });
    }
  });

  it('carries no update policy that replaces or rolls instances', () => {
    const groups = prod.findResources(GROUP);
    for (const group of Object.values(groups)) {
      expect(group.UpdatePolicy).toEqual({
        AutoScalingScheduledAction: { IgnoreUnmodifiedGroupSizeProperties: true },
      });
      expect(group.CreationPolicy).toBeUndefined();
    }
  });
});

describe('launch template hardening', () => {
  it('requires IMDSv2 with a hop limit of 1 and has no key pair', () => {
    for (const template of [dev, prod]) {
      template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
        LaunchTemplateData: Match.objectLike({
          MetadataOptions: { HttpTokens: 'required', HttpEndpoint: 'enabled', HttpPutResponseHopLimit: 1 },
          KeyName: Match.absent(),
          Monitoring: { Enabled: true },
        }),
      });
    }
  });

  it('encrypts a gp3 root volume of the configured size', () => {
    prod.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateName: 'immutable-prod-fleet',
      LaunchTemplateData: Match.objectLike({
        InstanceType: 'm7i.large',
        BlockDeviceMappings: [
          {
            DeviceName: '/dev/xvda',
            Ebs: {
              Encrypted: true,
              VolumeType: 'gp3',
              VolumeSize: configOf('prod').fleet.rootVolumeGiB,
              DeleteOnTermination: true,
            },
          },
        ],
      }),
    });
  });

  it('takes its AMI from the SSM-typed released-image parameter, never a resolve:ssm reference', () => {
    prod.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({ ImageId: { Ref: RUNTIME_PARAMETER_IDS.releasedImage } }),
    });
    prod.hasParameter(RUNTIME_PARAMETER_IDS.releasedImage, {
      Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>',
      Default: '/immutable/prod/released-ami',
    });
    expect(JSON.stringify(prod.toJSON())).not.toContain('resolve:ssm');
  });

  it("grants Session Manager only where configured, and logs and metrics to the fleet's own scope", () => {
    const ssm = Match.arrayWith([
      {
        'Fn::Join': [
          '',
          ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AmazonSSMManagedInstanceCore'],
        ],
      },
    ]);
    dev.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: [Match.objectLike({ Principal: { Service: 'ec2.amazonaws.com' } })],
      }),
      ManagedPolicyArns: ssm,
    });
    const prodInstanceRoles = prod.findResources('AWS::IAM::Role', {
      Properties: {
        AssumeRolePolicyDocument: Match.objectLike({
          Statement: [Match.objectLike({ Principal: { Service: 'ec2.amazonaws.com' } })],
        }),
      },
    });
    // The fleet's instance role only (the bake pipeline's build instances have their own).
    const fleetRoles = Object.entries(prodInstanceRoles).filter(([id]) => id.startsWith('Fleet'));
    expect(fleetRoles.map(([, r]) => r.Properties.ManagedPolicyArns)).toEqual([undefined]);
    prod.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Effect: 'Allow',
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('FleetGroupsLogs'), 'Arn'] },
          },
          {
            Action: 'cloudwatch:PutMetricData',
            Effect: 'Allow',
            Resource: '*',
            Condition: { StringEquals: { 'cloudwatch:namespace': 'CWAgent' } },
          },
        ],
      },
    });
    prod.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/immutable/prod/fleet',
      RetentionInDays: 365,
    });
  });

  it("keeps the instances' log group after a teardown, but not after a failed create", () => {
    prod.hasResource('AWS::Logs::LogGroup', {
      Properties: Match.objectLike({ LogGroupName: '/immutable/prod/fleet' }),
      DeletionPolicy: 'RetainExceptOnCreate',
      UpdateReplacePolicy: 'Retain',
    });
  });
  it('keeps $Default on the version CloudFormation created from the current definition', () => {
    const lt = logicalIdOf(prod, 'AWS::EC2::LaunchTemplate', { LaunchTemplateName: 'immutable-prod-fleet' });
    const call = {
      'Fn::Join': [
        '',
        Match.arrayWith([
          Match.stringLikeRegexp('"action":"modifyLaunchTemplate"'),
          { Ref: lt },
          { 'Fn::GetAtt': [lt, 'LatestVersionNumber'] },
        ]),
      ],
    };
    prod.hasResourceProperties('Custom::AWS', { Create: call, Update: call, InstallLatestAwsSdk: false });
    prod.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Action: 'ec2:ModifyLaunchTemplate',
            Effect: 'Allow',
            Resource: { 'Fn::Join': ['', Match.arrayWith([':launch-template/', { Ref: lt }])] },
          },
        ],
      },
    });
  });

  it.each(['dev', 'staging', 'prod'] as const)(
    "%s: the custom resource's provider logs to a group created before it, kept for fleet.logRetentionDays",
    (env) => {
      const t = productTemplate(env);
      const resources = t.toJSON().Resources as Record<string, { Type: string; Properties: any }>;
      const [custom] = Object.values(t.findResources('Custom::AWS'));
      const provider = resources[custom?.Properties.ServiceToken['Fn::GetAtt'][0]];
      const logGroupId = provider?.Properties.LoggingConfig?.LogGroup?.Ref as string;
      expect(resources[logGroupId]).toEqual(
        expect.objectContaining({
          Type: 'AWS::Logs::LogGroup',
          Properties: expect.objectContaining({ RetentionInDays: configOf(env).fleet.logRetentionDays }),
        }),
      );
      // No group of the function's own name, which its first invocation could create first.
      const ownName = Object.values(t.findResources('AWS::Logs::LogGroup')).filter((g) =>
        JSON.stringify(g.Properties?.LogGroupName ?? '').includes('/aws/lambda/'),
      );
      expect(ownName).toEqual([]);
    },
  );
});

describe('security groups', () => {
  const everyRule = (template: Template) => {
    const rules: Array<Record<string, unknown>> = [];
    for (const sg of Object.values(template.findResources('AWS::EC2::SecurityGroup'))) {
      rules.push(...((sg.Properties.SecurityGroupIngress as Array<Record<string, unknown>>) ?? []));
    }
    for (const rule of Object.values(template.findResources(INGRESS))) rules.push(rule.Properties);
    return rules;
  };

  it('opens no SSH and no all-traffic ingress anywhere', () => {
    for (const template of [dev, staging, prod]) {
      for (const rule of everyRule(template)) {
        expect(rule.IpProtocol).not.toBe('-1');
        const from = Number(rule.FromPort);
        const to = Number(rule.ToPort);
        expect(from <= 22 && 22 <= to).toBe(false);
      }
    }
  });

  it('admits only the load balancer to the instances, on the app port', () => {
    const instanceSg = logicalIdOf(prod, 'AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('^Fleet instances'),
    });
    const albSg = logicalIdOf(prod, 'AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('^Load balancer'),
    });
    const toInstances = Object.values(
      prod.findResources(INGRESS, { Properties: { GroupId: { 'Fn::GetAtt': [instanceSg, 'GroupId'] } } }),
    );
    expect(toInstances.map((r) => r.Properties)).toEqual([
      expect.objectContaining({
        SourceSecurityGroupId: { 'Fn::GetAtt': [albSg, 'GroupId'] },
        FromPort: 8080,
        ToPort: 8080,
        IpProtocol: 'tcp',
      }),
    ]);
    prod.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('^Fleet instances'),
      SecurityGroupIngress: Match.absent(),
      SecurityGroupEgress: [
        { CidrIp: '0.0.0.0/0', FromPort: 443, ToPort: 443, IpProtocol: 'tcp', Description: Match.anyValue() },
      ],
    });
  });

  it('lets the load balancer reach the instances on the app port only', () => {
    const instanceSg = logicalIdOf(prod, 'AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('^Fleet instances'),
    });
    const albSg = logicalIdOf(prod, 'AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('^Load balancer'),
    });
    const egress = Object.values(
      prod.findResources('AWS::EC2::SecurityGroupEgress', {
        Properties: { GroupId: { 'Fn::GetAtt': [albSg, 'GroupId'] } },
      }),
    );
    expect(egress.map((r) => r.Properties)).toEqual([
      expect.objectContaining({
        DestinationSecurityGroupId: { 'Fn::GetAtt': [instanceSg, 'GroupId'] },
        FromPort: 8080,
        ToPort: 8080,
      }),
    ]);
  });
});

describe('alarms', () => {
  const alarms = configOf('prod').fleet.alarms;

  it('judges each colour on 5xx ratio, p99 latency and unhealthy hosts with thresholds from config', () => {
    // the fleet's own alarms (the rollout workflow adds its dead-letter alarm to the stack)
    const fleetAlarms = Object.keys(prod.findResources('AWS::CloudWatch::Alarm')).filter((id) =>
      id.startsWith('Fleet'),
    );
    expect(fleetAlarms).toHaveLength(6);
    for (const colour of ['blue', 'green']) {
      const judged = {
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: alarms.evaluationPeriods,
        DatapointsToAlarm: alarms.datapointsToAlarm,
        TreatMissingData: 'notBreaching',
      };
      prod.hasResourceProperties('AWS::CloudWatch::Alarm', {
        ...judged,
        AlarmName: `immutable-prod-${colour}-5xx`,
        Threshold: alarms.max5xxRatio,
        Metrics: Match.arrayWith([
          Match.objectLike({ Expression: 'FILL(m5xx, 0) / requests', ReturnData: true }),
          Match.objectLike({
            Id: 'm5xx',
            MetricStat: Match.objectLike({
              Metric: Match.objectLike({ MetricName: 'HTTPCode_Target_5XX_Count' }),
              Stat: 'Sum',
              Period: 60,
            }),
          }),
          Match.objectLike({
            Id: 'requests',
            MetricStat: Match.objectLike({
              Metric: Match.objectLike({ MetricName: 'RequestCount' }),
              Stat: 'Sum',
              Period: 60,
            }),
          }),
        ]),
      });
      prod.hasResourceProperties('AWS::CloudWatch::Alarm', {
        ...judged,
        AlarmName: `immutable-prod-${colour}-latency`,
        MetricName: 'TargetResponseTime',
        ExtendedStatistic: 'p99',
        Threshold: alarms.p99LatencySeconds,
      });
      prod.hasResourceProperties('AWS::CloudWatch::Alarm', {
        ...judged,
        AlarmName: `immutable-prod-${colour}-unhealthy-hosts`,
        MetricName: 'UnHealthyHostCount',
        Statistic: 'Maximum',
        Threshold: alarms.maxUnhealthyHosts,
      });
    }
  });

  it('watches each colour through its own target group', () => {
    for (const colour of ['Blue', 'Green']) {
      const targetGroup = logicalIdOf(prod, 'AWS::ElasticLoadBalancingV2::TargetGroup', {
        Tags: Match.arrayWith([{ Key: 'immutable:colour', Value: colour.toLowerCase() }]),
      });
      prod.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `immutable-prod-${colour.toLowerCase()}-latency`,
        Dimensions: Match.arrayWith([
          { Name: 'TargetGroup', Value: { 'Fn::GetAtt': [targetGroup, 'TargetGroupFullName'] } },
        ]),
      });
    }
  });

  it('combines them into one composite "unhealthy" alarm per colour', () => {
    prod.resourceCountIs('AWS::CloudWatch::CompositeAlarm', 2);
    for (const colour of ['blue', 'green']) {
      const ids = ['5xx', 'latency', 'unhealthy-hosts'].map((suffix) =>
        logicalIdOf(prod, 'AWS::CloudWatch::Alarm', { AlarmName: `immutable-prod-${colour}-${suffix}` }),
      );
      const composite = Object.values(
        prod.findResources('AWS::CloudWatch::CompositeAlarm', {
          Properties: { AlarmName: `immutable-prod-${colour}-unhealthy` },
        }),
      );
      expect(composite).toHaveLength(1);
      const rule = JSON.stringify(composite[0]!.Properties.AlarmRule);
      for (const id of ids) expect(rule).toContain(`"Fn::GetAtt":["${id}","Arn"]`);
      expect(rule).toMatch(/OR ALARM.*OR ALARM/);
    }
  });
});

describe('the fleet API the workflow relies on', () => {
  it('names the alarms to pass to an instance refresh (metric alarms, within the limit of 10)', () => {
    const fleet = prodFleet;
    expect(fleet.refreshAlarmNames('green')).toEqual([
      'immutable-prod-green-5xx',
      'immutable-prod-green-latency',
      'immutable-prod-green-unhealthy-hosts',
    ]);
    expect(fleet.refreshAlarmNames('blue').length).toBeLessThanOrEqual(10);
  });

  it('exposes capacity and resolvable identifiers', () => {
    const fleet = prodFleet;
    const stack = Stack.of(fleet);
    expect(fleet.capacity).toEqual(configOf('prod').fleet.capacity);
    expect(stack.resolve(fleet.launchTemplateId)).toEqual({
      Ref: logicalIdOf(prodFleetTemplate, 'AWS::EC2::LaunchTemplate', {
        LaunchTemplateName: 'immutable-prod-fleet',
      }),
    });
    expect(stack.resolve(fleet.listenerArn)).toEqual({ Ref: expect.stringMatching(/Https/) });
    expect(stack.resolve(fleet.targetGroupFullNames.green)).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/FleetAlbGreen/), 'TargetGroupFullName'],
    });
    expect(stack.resolve(fleet.loadBalancerFullName)).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/FleetAlbLoadBalancer/), 'LoadBalancerFullName'],
    });
  });

  it("gives per-colour metrics on the colour's target group", () => {
    const fleet = prodFleet;
    const stack = Stack.of(fleet);
    const dims = (metric: ReturnType<typeof fleet.metricRequestCount>) =>
      stack.resolve(metric.toMetricConfig().metricStat?.dimensions);
    const blueGroup = stack.resolve(fleet.targetGroupFullNames.blue);
    expect(dims(fleet.metricRequestCount('blue'))).toEqual(
      expect.arrayContaining([{ name: 'TargetGroup', value: blueGroup }]),
    );
    expect(fleet.metric5xxCount('green').toMetricConfig().metricStat?.metricName).toBe(
      'HTTPCode_Target_5XX_Count',
    );
    expect(fleet.metricP99Latency('green').toMetricConfig().metricStat?.statistic).toBe('p99');
    expect(fleet.metricUnhealthyHosts('blue').toMetricConfig().metricStat?.metricName).toBe(
      'UnHealthyHostCount',
    );
    expect(
      fleet.metricRequestCount('blue', { period: Duration.minutes(5) }).toMetricConfig().metricStat?.period,
    ).toEqual(Duration.minutes(5));
    expect(fleet.metric5xxRatio('blue').toMetricConfig().mathExpression?.expression).toBe(
      'FILL(m5xx, 0) / requests',
    );
  });
});
