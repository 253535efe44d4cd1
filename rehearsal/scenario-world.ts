import { AMI_TAGS } from '../lambda/shared/tags';
import type { WorkflowSettings } from '../lambda/shared/settings';
import type { EnvironmentName } from '../lambda/shared/environments';
import type { SimulatedDeployment } from './deployment';
import type { ImageBehaviour, Scenario } from './scenario';
import { DEFAULT_HEALTH_CHECK } from './simulator';
import type { SimImage, SimTargetGroupSpec, SimWorldSpec } from './simulator';

const DEFAULT_BEHAVIOUR: ImageBehaviour = {
  healthy: true,
  errorRate: 0.001,
  p99LatencyMs: 120,
  owner: 'self',
  fromFactory: true,
  findings: { scanned: true, critical: 0, high: 0, medium: 0, low: 0 },
};

/** What the scenario says of an image: the released one's, a listed one's, or the default. */
const behaviourOf = (scenario: Scenario, imageId: string): ImageBehaviour =>
  (imageId === scenario.releasedImage ? scenario.releasedImageBehaviour : scenario.images[imageId]) ??
  DEFAULT_BEHAVIOUR;

/**
 * The images that exist in the scenario's account, as the image factory distributed them: the
 * released one, the previous one, and every listed one, each with its behaviour and its tags.
 * (Where an image was released upstream is the table's record, not a tag: see the history a
 * run seeds.)
 */
export function scenarioImages(scenario: Scenario): SimImage[] {
  const image = (imageId: string, b: ImageBehaviour): SimImage => ({
    imageId,
    healthy: b.healthy,
    errorRate: b.errorRate,
    p99LatencyMs: b.p99LatencyMs,
    ...(b.owner === 'self' ? {} : { ownerId: b.owner }),
    tags: { ...lineageOf(imageId), ...b.tags },
  });
  const previous = scenario.fleet.previousImage;
  const ids = [
    scenario.releasedImage,
    ...(previous && !(previous in scenario.images) ? [previous] : []),
    ...Object.keys(scenario.images).filter((id) => id !== scenario.releasedImage),
  ];
  return ids.map((id) => image(id, behaviourOf(scenario, id)));
}

/**
 * The lineage tags the image factory puts on every AMI it bakes (lambda/factory/lineage.ts), so a
 * drift check on the rehearsed world finds the images it expects; a scenario's own tags win.
 */
function lineageOf(imageId: string): Record<string, string> {
  return {
    [AMI_TAGS.pipeline]: 'immutable-images',
    [AMI_TAGS.recipe]: 'immutable-app',
    [AMI_TAGS.recipeVersion]: '1.0.0',
    [AMI_TAGS.sourceRevision]: imageId.slice(-7),
  };
}

/**
 * The launch-template versions each colour runs at the start: version 1 (the released image)
 * on blue, and a version of its own (2, on the previous image) on a colour kept warm, as the
 * canary that released the current image left it.
 */
export function seededVersions(scenario: Scenario): { blue: string; green: string } {
  return { blue: '1', green: scenario.fleet.previousColourWarm && scenario.fleet.previousImage ? '2' : '1' };
}

/**
 * The simulated account the scenario starts from: the deployed fleet's resources, named
 * as the template names them, with the live colour (blue) serving the released image.
 */
export function buildWorld(
  deployment: SimulatedDeployment,
  settings: WorkflowSettings,
  scenario: Scenario,
): SimWorldSpec {
  const images = scenarioImages(scenario);
  const groupProps = (name: string) => {
    const id = deployment
      .ofType('AWS::AutoScaling::AutoScalingGroup')
      .find((g) => deployment.nameOf(g) === name);
    if (!id) throw new Error(`the template has no Auto Scaling group named ${name}`);
    return deployment.properties(id);
  };
  const n = scenario.fleet.instances;
  const warm = scenario.fleet.previousColourWarm && scenario.fleet.previousImage;
  const versions = seededVersions(scenario);
  const group = (colour: 'blue' | 'green') => {
    const props = groupProps(settings.groups[colour]);
    const live = colour === 'blue';
    const size = live || warm ? n : 0;
    return {
      name: settings.groups[colour],
      colour,
      targetGroupArn: settings.targetGroups[colour],
      minSize: live ? Math.min(settings.capacity.min, n) : 0,
      maxSize: Math.max(Number(props.MaxSize ?? settings.capacity.max), n),
      desired: size,
      launchTemplateVersion: versions[colour],
      instanceImageId: live
        ? scenario.releasedImage
        : (scenario.fleet.previousImage ?? scenario.releasedImage),
      instanceAgeDays: live ? scenario.fleet.ageDays : 0,
      healthCheckGracePeriod: Number(props.HealthCheckGracePeriod ?? 0),
      defaultInstanceWarmup: Number(props.DefaultInstanceWarmup ?? 0),
    };
  };

  const listenerId = deployment
    .ofType('AWS::ElasticLoadBalancingV2::Listener')
    .find((l) => deployment.arnOf(l) === settings.listenerArn);
  const loadBalancerArn = listenerId ? String(deployment.properties(listenerId).LoadBalancerArn) : 'unknown';
  const ltId = deployment
    .ofType('AWS::EC2::LaunchTemplate')
    .find((l) => deployment.nameOf(l) === settings.launchTemplateId);

  return {
    region: deployment.region,
    accountId: deployment.account,
    startTime: new Date(scenario.startTime),
    requestsPerSecond: scenario.requestsPerSecond,
    launchSeconds: scenario.fleet.launchSeconds,
    images,
    launchTemplate: {
      id: settings.launchTemplateId,
      name: ltId
        ? String((deployment.properties(ltId).LaunchTemplateName as string | undefined) ?? ltId)
        : settings.launchTemplateId,
      defaultImageId: scenario.releasedImage,
      ...(warm ? { laterImageIds: [warm] } : {}),
    },
    groups: [group('blue'), group('green')],
    listener: {
      arn: settings.listenerArn,
      loadBalancerArn,
      weights: { [settings.targetGroups.blue]: 100, [settings.targetGroups.green]: 0 },
    },
    targetGroups: (['blue', 'green'] as const).map((c) => ({
      arn: settings.targetGroups[c],
      fullName: settings.targetGroupDimensions[c],
      loadBalancerFullName: settings.loadBalancerDimension,
      ...targetGroupPhysics(deployment, settings.targetGroups[c]),
    })),
    ...alarmsOf(deployment, settings),
    parameters: [
      {
        name: settings.parameters.releasedImage,
        value: scenario.releasedImage,
        type: 'String',
        dataType: 'aws:ec2:image',
      },
      { name: settings.parameters.listenerWeights, value: '100,0', type: 'StringList' },
      { name: settings.parameters.launchTemplateVersions.blue, value: versions.blue, type: 'String' },
      { name: settings.parameters.launchTemplateVersions.green, value: versions.green, type: 'String' },
    ],
    tables: [{ name: settings.table, partitionKey: 'pk', sortKey: 'sk' }],
    topics: deployment.ofType('AWS::SNS::Topic').map((t) => deployment.arnOf(t)),
  };
}

/**
 * How long the template's target group drains a deregistered target, and how its health checks
 * time a failing one; a setting the template leaves out is AWS's default (the simulator's).
 * The group's grace period and warmup are read with the group.
 */
function targetGroupPhysics(
  deployment: SimulatedDeployment,
  arn: string,
): Pick<SimTargetGroupSpec, 'deregistrationDelaySeconds' | 'healthCheck'> {
  const id = deployment
    .ofType('AWS::ElasticLoadBalancingV2::TargetGroup')
    .find((t) => deployment.arnOf(t) === arn);
  if (!id) throw new Error(`the template has no target group ${arn}`);
  const p = deployment.properties(id);
  const attributes = (p.TargetGroupAttributes ?? []) as Array<{ Key?: string; Value?: string }>;
  const delay = attributes.find((a) => a.Key === 'deregistration_delay.timeout_seconds')?.Value;
  const hc = DEFAULT_HEALTH_CHECK;
  return {
    ...(delay !== undefined ? { deregistrationDelaySeconds: Number(delay) } : {}),
    healthCheck: {
      intervalSeconds: Number(p.HealthCheckIntervalSeconds ?? hc.intervalSeconds),
      healthyThresholdCount: Number(p.HealthyThresholdCount ?? hc.healthyThresholdCount),
      unhealthyThresholdCount: Number(p.UnhealthyThresholdCount ?? hc.unhealthyThresholdCount),
    },
  };
}

/** The fleet's alarms as the template defines them, in the simulator's terms. */
function alarmsOf(
  deployment: SimulatedDeployment,
  settings: WorkflowSettings,
): Pick<SimWorldSpec, 'alarms' | 'compositeAlarms'> {
  const alarms: Array<SimWorldSpec['alarms'][number]> = [];
  const compositeAlarms: Array<SimWorldSpec['compositeAlarms'][number]> = [];
  for (const colour of ['blue', 'green'] as const) {
    for (const name of settings.alarms[colour]) {
      const metricId = deployment.ofType('AWS::CloudWatch::Alarm').find((a) => deployment.nameOf(a) === name);
      if (metricId) {
        const p = deployment.properties(metricId);
        const kind = name.endsWith('-5xx')
          ? '5xx'
          : name.endsWith('-latency')
            ? 'latency'
            : name.endsWith('-unhealthy-hosts')
              ? 'unhealthy-hosts'
              : undefined;
        if (!kind)
          throw new Error(`alarm ${name} is not a 5xx, latency or unhealthy-hosts alarm the simulator knows`);
        alarms.push({
          name,
          kind,
          targetGroupArn: settings.targetGroups[colour],
          threshold: Number(p.Threshold),
          evaluationPeriods: Number(p.EvaluationPeriods ?? 1),
          datapointsToAlarm: Number(p.DatapointsToAlarm ?? p.EvaluationPeriods ?? 1),
          periodSeconds: periodOf(p),
          ...(p.ComparisonOperator ? { comparisonOperator: p.ComparisonOperator as never } : {}),
        });
        continue;
      }
      const compositeId = deployment
        .ofType('AWS::CloudWatch::CompositeAlarm')
        .find((a) => deployment.nameOf(a) === name);
      if (!compositeId) throw new Error(`the template has no alarm named ${name}`);
      const rule = (deployment.properties(compositeId).AlarmRule as string | undefined) ?? '';
      const children = [...rule.matchAll(/ALARM\(\s*"?([^")]+?)"?\s*\)/g)].map(
        (m) => (m[1] ?? '').split(':alarm:').pop() ?? '',
      );
      compositeAlarms.push({ name, children });
    }
  }
  return { alarms, compositeAlarms };
}

function periodOf(p: Record<string, unknown>): number {
  if (p.Period) return Number(p.Period);
  const metrics = (p.Metrics ?? []) as Array<{ MetricStat?: { Period?: number } }>;
  return Number(metrics.find((m) => m.MetricStat?.Period)?.MetricStat?.Period ?? 60);
}

/** The scenario's images the image factory built, with what its scan found: the announcements to seed. */
export function factoryAnnounced(
  scenario: Scenario,
): Array<{ readonly imageId: string; readonly findings: ImageBehaviour['findings'] }> {
  return scenarioImages(scenario).flatMap((i) => {
    const b = behaviourOf(scenario, i.imageId);
    return b.fromFactory ? [{ imageId: i.imageId, findings: b.findings }] : [];
  });
}

/** The environments a scenario says released the image (for the promotion gate). */
export function releasedUpstream(scenario: Scenario, imageId: string): readonly EnvironmentName[] {
  return behaviourOf(scenario, imageId).releasedIn ?? [];
}
