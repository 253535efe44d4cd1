import type { WorkflowSettings } from '../../lambda/shared/settings';
import type {
  CanaryPlan,
  CanaryProgress,
  ExecutionRef,
  FleetRecord,
  FlipPlan,
  RefreshPlan,
  RolloutRequest,
} from '../../lambda/shared/documents';

/**
 * Documents shaped as the state machine builds them for the dev environment (see
 * lib/constructs/rollout/settings.ts and state-machine/), so each test starts
 * from a realistic payload and overrides only what it is about.
 */
export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';
export const OLD_AMI = 'ami-0aaaaaaaaaaaaaaaa';
export const NEW_AMI = 'ami-0bbbbbbbbbbbbbbbb';
export const OLDER_AMI = 'ami-0cccccccccccccccc';
export const LAUNCH_TEMPLATE = 'lt-0123456789abcdef0';
const elb = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}`;

export function settings(overrides: Partial<WorkflowSettings> = {}): WorkflowSettings {
  return {
    environment: 'dev',
    images: { owners: [ACCOUNT], failOnSeverity: 'HIGH' },
    groups: { blue: 'immutable-dev-blue', green: 'immutable-dev-green' },
    targetGroups: {
      blue: `${elb}:targetgroup/immutable-dev-blue/0123456789abcdef`,
      green: `${elb}:targetgroup/immutable-dev-green/fedcba9876543210`,
    },
    targetGroupDimensions: {
      blue: 'targetgroup/immutable-dev-blue/0123456789abcdef',
      green: 'targetgroup/immutable-dev-green/fedcba9876543210',
    },
    loadBalancerDimension: 'app/immutable-dev/50dc6c495c0c9188',
    listenerArn: `${elb}:listener/app/immutable-dev/50dc6c495c0c9188/f2f7dc8efc522ab2`,
    launchTemplateId: LAUNCH_TEMPLATE,
    alarms: {
      blue: ['immutable-dev-blue-5xx', 'immutable-dev-blue-latency'],
      green: ['immutable-dev-green-5xx', 'immutable-dev-green-latency'],
    },
    refreshAlarms: { blue: ['immutable-dev-blue-5xx'], green: ['immutable-dev-green-5xx'] },
    table: 'immutable-dev-rollouts',
    parameters: {
      releasedImage: '/immutable/dev/released-ami',
      listenerWeights: '/immutable/dev/fleet/listener-weights',
      launchTemplateVersions: {
        blue: '/immutable/dev/fleet/blue/launch-template-version',
        green: '/immutable/dev/fleet/green/launch-template-version',
      },
    },
    capacity: { min: 2, desired: 4, max: 8 },
    expectedBootSeconds: 120,
    maxInstanceAgeDays: 7,
    refresh: {
      minHealthyPercentage: 50,
      maxHealthyPercentage: 150,
      instanceWarmupSeconds: 60,
      checkpointPercentages: [],
      checkpointDelaySeconds: 0,
      bakeTimeSeconds: 0,
    },
    canary: {
      steps: [10, 50, 100],
      bakeSeconds: 180,
      healthyDeadlineSeconds: 900,
      max5xxRatio: 0.05,
      max5xxRatioIncrease: 0.02,
      maxP99LatencySeconds: 2,
      maxLatencyRatio: 2,
      minRequests: 50,
    },
    rollbackSteps: [100],
    scaleDownDelaySeconds: 300,
    lockTtlSeconds: 4 * 3600,
    timeoutSeconds: 3 * 3600,
    freezeWindows: [],
    downstream: [{ environment: 'staging', soakMinutes: 60, approval: 'automatic' }],
    ...overrides,
  };
}

export const NOW = new Date('2026-03-02T10:00:00.000Z');
export const at = (offsetSeconds: number) => new Date(NOW.getTime() + offsetSeconds * 1000);

export const EXECUTION_ARN = `arn:aws:states:${REGION}:${ACCOUNT}:execution:immutable-dev-rollout:run-1`;
export function execution(overrides: Partial<ExecutionRef> = {}): ExecutionRef {
  return { id: EXECUTION_ARN, name: 'run-1', startedAt: at(-60).toISOString(), ...overrides };
}

export function request(overrides: Partial<RolloutRequest> = {}): RolloutRequest {
  return {
    action: 'phoenix',
    reason: 'phoenix started from the console',
    force: false,
    dryRun: false,
    trigger: 'console',
    ...overrides,
  };
}

export function fleet(overrides: Partial<FleetRecord> = {}): FleetRecord {
  return {
    liveColour: 'blue',
    releasedImage: OLD_AMI,
    previousImage: OLDER_AMI,
    releasedAt: at(-10 * 86_400).toISOString(),
    versions: { blue: '7', green: '6' },
    generation: 5,
    ...overrides,
  };
}

export function refreshPlan(overrides: Partial<RefreshPlan> = {}): RefreshPlan {
  return {
    kind: 'refresh',
    colour: 'blue',
    group: 'immutable-dev-blue',
    imageId: OLD_AMI,
    instances: 4,
    oldestAgeDays: 9.5,
    batches: 1,
    estimatedSeconds: 180,
    summary: 'replace 4 instances',
    ...overrides,
  };
}

export function canaryPlan(overrides: Partial<CanaryPlan> = {}): CanaryPlan {
  return {
    kind: 'canary',
    from: { colour: 'blue', imageId: OLD_AMI },
    to: { colour: 'green', imageId: NEW_AMI },
    capacity: 4,
    steps: [10, 50, 100],
    initial: false,
    estimatedSeconds: 660,
    summary: 'canary',
    ...overrides,
  };
}

export function flipPlan(overrides: Partial<FlipPlan> = {}): FlipPlan {
  return {
    kind: 'flip',
    from: { colour: 'blue', imageId: NEW_AMI },
    to: { colour: 'green', imageId: OLD_AMI },
    version: '6',
    capacity: 4,
    healthyBy: NOW.toISOString(),
    estimatedSeconds: 0,
    summary: 'instant rollback',
    ...overrides,
  };
}

export function canaryProgress(overrides: Partial<CanaryProgress> = {}): CanaryProgress {
  return {
    version: '8',
    capacity: 4,
    healthy: 4,
    ready: true,
    deadline: at(900).toISOString(),
    waitSeconds: 0,
    step: 0,
    weight: 10,
    stepStartedAt: at(-180).toISOString(),
    done: false,
    judgements: [],
    ...overrides,
  };
}

/** An Auto Scaling group as DescribeAutoScalingGroups returns it. */
export function group(
  name: string,
  o: {
    min?: number;
    desired?: number;
    max?: number;
    version?: string;
    instances?: Array<{ id: string; lifecycle?: string; health?: string; version?: string }>;
  } = {},
) {
  const instances = o.instances ?? [];
  return {
    AutoScalingGroupName: name,
    MinSize: o.min ?? (instances.length ? 2 : 0),
    MaxSize: o.max ?? 8,
    DesiredCapacity: o.desired ?? instances.length,
    DefaultCooldown: 300,
    AvailabilityZones: [`${REGION}a`, `${REGION}b`],
    HealthCheckType: 'ELB',
    CreatedTime: at(-100 * 86_400),
    LaunchTemplate: { LaunchTemplateId: LAUNCH_TEMPLATE, Version: o.version ?? '7' },
    Instances: instances.map((i) => ({
      InstanceId: i.id,
      AvailabilityZone: `${REGION}a`,
      LifecycleState: (i.lifecycle ?? 'InService') as 'InService',
      HealthStatus: i.health ?? 'Healthy',
      ProtectedFromScaleIn: false,
      LaunchTemplate: { LaunchTemplateId: LAUNCH_TEMPLATE, Version: i.version ?? o.version ?? '7' },
    })),
  };
}

/** Ids i-0000000000000000<n>, realistic 17-hex-digit instance ids. */
export const instanceId = (n: number) => `i-${n.toString(16).padStart(17, '0')}`;
export const instances = (count: number, from = 1, extra: { lifecycle?: string; version?: string } = {}) =>
  Array.from({ length: count }, (_, k) => ({ id: instanceId(from + k), ...extra }));
