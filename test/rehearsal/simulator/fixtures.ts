import type { SimImage, SimWorldSpec } from '../../../rehearsal/simulator';

export const OLD_AMI = 'ami-0aaaaaaaaaaaaaaaa';
export const NEW_AMI = 'ami-0bbbbbbbbbbbbbbbb';
export const BAD_AMI = 'ami-0cccccccccccccccc';
export const GONE_AMI = 'ami-0dddddddddddddddd';
export const LT_ID = 'lt-0123456789abcdef0';
export const BLUE_TG =
  'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/blue/0123456789abcdef';
export const GREEN_TG =
  'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/green/fedcba9876543210';
export const LISTENER =
  'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2';
export const LB = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188';
export const TABLE = 'immutable-dev-rollouts';
export const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:immutable-dev-rollouts';

export interface WorldOptions {
  readonly instances?: number;
  readonly launchSeconds?: number;
  readonly warmup?: number;
  readonly grace?: number;
  readonly requestsPerSecond?: number;
  readonly images?: SimImage[];
  readonly blueWeight?: number;
  readonly greenWeight?: number;
  readonly alarmPeriods?: { evaluationPeriods: number; datapointsToAlarm: number };
}

/**
 * A small blue/green world: blue serves `instances` of OLD_AMI from launch template version 1,
 * green is empty; NEW_AMI is healthy, BAD_AMI fails health checks, GONE_AMI is deregistered.
 * The start time is on a minute boundary so metric minutes line up with simulated seconds.
 */
export function world(options: WorldOptions = {}): SimWorldSpec {
  const instances = options.instances ?? 4;
  const periods = options.alarmPeriods ?? { evaluationPeriods: 3, datapointsToAlarm: 2 };
  const alarm = (
    colour: 'blue' | 'green',
    kind: '5xx' | 'latency' | 'unhealthy-hosts',
    threshold: number,
  ) => ({
    name: `immutable-dev-${colour}-${kind}`,
    kind,
    targetGroupArn: colour === 'blue' ? BLUE_TG : GREEN_TG,
    threshold,
    periodSeconds: 60,
    ...periods,
  });
  return {
    region: 'eu-west-1',
    accountId: '123456789012',
    startTime: new Date('2030-01-01T00:00:00Z'),
    requestsPerSecond: options.requestsPerSecond ?? 100,
    launchSeconds: options.launchSeconds ?? 120,
    images: options.images ?? [
      { imageId: OLD_AMI, healthy: true, errorRate: 0.001, p99LatencyMs: 200, tags: { Name: 'web-1.0.0' } },
      { imageId: NEW_AMI, healthy: true, errorRate: 0.001, p99LatencyMs: 180, tags: { Name: 'web-1.1.0' } },
      { imageId: BAD_AMI, healthy: false, errorRate: 0.5, p99LatencyMs: 3000 },
      { imageId: GONE_AMI, healthy: true, errorRate: 0, p99LatencyMs: 100, exists: false },
    ],
    launchTemplate: { id: LT_ID, name: 'immutable-dev-web', defaultImageId: OLD_AMI },
    groups: [
      {
        name: 'immutable-dev-blue',
        colour: 'blue',
        targetGroupArn: BLUE_TG,
        minSize: 0,
        maxSize: Math.max(10, instances * 2),
        desired: instances,
        launchTemplateVersion: '1',
        instanceImageId: OLD_AMI,
        instanceAgeDays: 30,
        healthCheckGracePeriod: options.grace ?? 60,
        defaultInstanceWarmup: options.warmup ?? 60,
      },
      {
        name: 'immutable-dev-green',
        colour: 'green',
        targetGroupArn: GREEN_TG,
        minSize: 0,
        maxSize: Math.max(10, instances * 2),
        desired: 0,
        launchTemplateVersion: '1',
        instanceImageId: OLD_AMI,
        instanceAgeDays: 0,
        healthCheckGracePeriod: options.grace ?? 60,
        defaultInstanceWarmup: options.warmup ?? 60,
      },
    ],
    listener: {
      arn: LISTENER,
      loadBalancerArn: LB,
      weights: { [BLUE_TG]: options.blueWeight ?? 100, [GREEN_TG]: options.greenWeight ?? 0 },
    },
    targetGroups: [
      {
        arn: BLUE_TG,
        fullName: 'targetgroup/blue/0123456789abcdef',
        loadBalancerFullName: 'app/web/50dc6c495c0c9188',
      },
      {
        arn: GREEN_TG,
        fullName: 'targetgroup/green/fedcba9876543210',
        loadBalancerFullName: 'app/web/50dc6c495c0c9188',
      },
    ],
    alarms: [
      alarm('blue', '5xx', 0.05),
      alarm('green', '5xx', 0.05),
      alarm('blue', 'latency', 1),
      alarm('green', 'latency', 1),
      alarm('blue', 'unhealthy-hosts', 1),
      alarm('green', 'unhealthy-hosts', 1),
    ],
    compositeAlarms: [
      {
        name: 'immutable-dev-blue-health',
        children: [
          'immutable-dev-blue-5xx',
          'immutable-dev-blue-latency',
          'immutable-dev-blue-unhealthy-hosts',
        ],
      },
      {
        name: 'immutable-dev-green-health',
        children: [
          'immutable-dev-green-5xx',
          'immutable-dev-green-latency',
          'immutable-dev-green-unhealthy-hosts',
        ],
      },
    ],
    parameters: [
      { name: '/immutable/dev/released-ami', value: OLD_AMI, type: 'String', dataType: 'aws:ec2:image' },
      { name: '/immutable/dev/fleet/listener-weights', value: '100,0', type: 'StringList' },
    ],
    tables: [{ name: TABLE, partitionKey: 'pk', sortKey: 'sk' }],
    topics: [TOPIC],
  };
}
