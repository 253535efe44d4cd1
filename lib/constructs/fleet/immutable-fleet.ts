import { Token } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { RollbackEligibilityCheck } from '../../aspects/rollback-eligibility';
import { COLOURS } from '../../../lambda/shared/colours';
import { resourcePrefix } from '../../../lambda/shared/names';
import type { Colour } from '../../../lambda/shared/colours';
import type { EnvironmentName } from '../../../lambda/shared/environments';
import type { FleetConfig } from '../../config';
import { FleetAlarms } from './alarms';
import { FleetGrants } from './fleet-grants';
import { capacityOrderProblems } from './fleet-rules';
import type { FleetCapacity } from './fleet-rules';
import type { ColourAlarms } from './alarms';
import { FleetGroups } from './groups';
import { FleetLoadBalancer } from './load-balancer';
import { fleetAlarmNames, fleetGroupName } from '../../../lambda/shared/names';
import { RuntimeParameters } from './runtime-parameters';
import { APP_NAME, HEALTH_CHECK_PATH, TCP_PORT } from '../rules';
import { ENVIRONMENT_TAG } from '../../../lambda/shared/tags';

export type { FleetCapacity } from './fleet-rules';

/**
 * The fleet's configuration (every field of an environment's `fleet` block, documented in
 * lib/config/environment-schema.ts), the application it serves, and where it runs.
 */
export interface ImmutableFleetProps extends FleetConfig {
  /** The environment this fleet serves; names every physical resource and runtime parameter. */
  readonly environment: EnvironmentName;
  /** The VPC the load balancer and instances run in. */
  readonly vpc: ec2.IVpc;
  /**
   * The image's application (the image factory's `app.name`): the instances ship its log, which
   * the image writes to `/var/log/<app>/<app>.log`.
   */
  readonly appName: string;
  /** The port the image's application listens on (the image factory's `app.port`). */
  readonly appPort: number;
  /** The path that answers 200 when the application is healthy (the image factory's `app.healthCheckPath`). */
  readonly healthCheckPath: string;
  /**
   * Subnets the instances run in.
   * @default the VPC's private subnets: with egress when it has them, else isolated
   */
  readonly instanceSubnets?: ec2.SubnetSelection;
  /**
   * Subnets the load balancer's nodes run in.
   * @default the public subnets when the load balancer is internet-facing, else the instance subnets
   */
  readonly loadBalancerSubnets?: ec2.SubnetSelection;
  /**
   * Root device of the baked AMI, which the launch template encrypts and sizes.
   * @default '/dev/xvda' (Amazon Linux 2023)
   */
  readonly rootDeviceName?: string;
}

/**
 * A blue/green EC2 fleet behind one ALB, and the contract with the rollout workflow:
 * CDK owns the definitions; the workflow owns runtime state (launch-template version per
 * group, desired capacity, the live colour's minimum, listener weights, released AMI), which
 * the template only ever reads from SSM at deploy time.
 */
export class ImmutableFleet extends Construct implements ec2.IConnectable {
  /** The listener's ARN (the listener with the weighted blue/green forward action). */
  readonly listenerArn: string;
  readonly targetGroups: Readonly<Record<Colour, elbv2.IApplicationTargetGroup>>;
  /** `targetgroup/<name>/<id>`: the TargetGroup dimension of each colour's ELB metrics. */
  readonly targetGroupFullNames: Readonly<Record<Colour, string>>;
  /** `app/<name>/<id>`: the LoadBalancer dimension of the ELB metrics. */
  readonly loadBalancerFullName: string;
  /** Physical Auto Scaling group names, e.g. `immutable-prod-blue`. */
  readonly groupNames: Readonly<Record<Colour, string>>;
  readonly launchTemplateId: string;
  readonly alarms: Readonly<Record<Colour, ColourAlarms>>;
  readonly capacity: FleetCapacity;
  /** The instances' security group. */
  readonly connections: ec2.Connections;

  private readonly environment: EnvironmentName;
  private readonly colourAlarms: Record<Colour, FleetAlarms>;
  private readonly grants: FleetGrants;

  constructor(scope: Construct, id: string, props: ImmutableFleetProps) {
    super(scope, id);
    validateProps(props);
    // The fleet's contract with the workflow is checked on every synth of any app that has a fleet.
    RollbackEligibilityCheck.register(this);
    const env = props.environment;
    this.environment = env;
    this.capacity = { ...props.capacity };
    const retention = props.logRetentionDays as logs.RetentionDays;

    const runtime = new RuntimeParameters(this, 'Runtime', { environment: env });

    const instanceSubnets = props.instanceSubnets ?? {
      subnetType:
        props.vpc.privateSubnets.length > 0
          ? ec2.SubnetType.PRIVATE_WITH_EGRESS
          : ec2.SubnetType.PRIVATE_ISOLATED,
    };
    const loadBalancerSubnets =
      props.loadBalancerSubnets ??
      (props.loadBalancer.internetFacing ? { subnetType: ec2.SubnetType.PUBLIC } : instanceSubnets);

    const lb = new FleetLoadBalancer(this, 'Alb', {
      vpc: props.vpc,
      subnets: loadBalancerSubnets,
      appPort: props.appPort,
      healthCheck: { ...props.healthCheck, path: props.healthCheckPath },
      loadBalancer: props.loadBalancer,
      logRetentionDays: props.logRetentionDays,
      weights: runtime.listenerWeight,
    });
    this.listenerArn = lb.listener.listenerArn;
    this.targetGroups = lb.targetGroups;
    this.targetGroupFullNames = {
      blue: lb.targetGroups.blue.targetGroupFullName,
      green: lb.targetGroups.green.targetGroupFullName,
    };
    this.loadBalancerFullName = lb.loadBalancer.loadBalancerFullName;

    const groups = new FleetGroups(this, 'Groups', {
      environment: env,
      vpc: props.vpc,
      subnets: instanceSubnets,
      instanceType: props.instanceType,
      appName: props.appName,
      appPort: props.appPort,
      rootVolumeGiB: props.rootVolumeGiB,
      rootDeviceName: props.rootDeviceName ?? '/dev/xvda',
      maxSize: props.capacity.max,
      healthCheck: props.healthCheck,
      sessionManager: props.sessionManager,
      logRetentionDays: retention,
      loadBalancerSecurityGroup: lb.securityGroup,
      targetGroups: lb.targetGroups,
      imageId: runtime.releasedImageId,
      launchTemplateVersion: runtime.launchTemplateVersion,
    });
    this.connections = groups.securityGroup.connections;
    this.launchTemplateId = groups.launchTemplate.launchTemplateId!;
    this.groupNames = { blue: fleetGroupName(env, 'blue'), green: fleetGroupName(env, 'green') };
    this.grants = new FleetGrants(this, {
      groupNames: this.groupNames,
      launchTemplateId: this.launchTemplateId,
      instanceRole: groups.role,
      instanceProfileArn: groups.instanceProfileArn,
      maxSize: props.capacity.max,
      subnetIds: props.vpc.selectSubnets(instanceSubnets).subnetIds,
      securityGroupId: groups.securityGroup.securityGroupId,
      listenerArn: this.listenerArn,
      runtimeParameterNames: [
        runtime.names.releasedImage,
        runtime.names.listenerWeights,
        ...COLOURS.map((c) => runtime.names.launchTemplateVersion(c)),
      ],
      alarmNamePrefix: `${resourcePrefix(env)}-`,
      instanceTag: { key: ENVIRONMENT_TAG, value: env },
    });

    this.colourAlarms = {
      blue: new FleetAlarms(this, 'BlueAlarms', {
        environment: env,
        colour: 'blue',
        targetGroup: lb.targetGroups.blue,
        alarms: props.alarms,
      }),
      green: new FleetAlarms(this, 'GreenAlarms', {
        environment: env,
        colour: 'green',
        targetGroup: lb.targetGroups.green,
        alarms: props.alarms,
      }),
    };
    this.alarms = this.colourAlarms;
  }

  /**
   * Alarm names to pass in a StartInstanceRefresh `Preferences.AlarmSpecification.Alarms`
   * for the given colour's group. The API takes up to 10 alarms, metric or composite; the
   * three metric alarms are listed (rather than the composite) so a failed refresh's status
   * reason names the signal that fired.
   * @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/instance-refresh-rollback.html
   */
  refreshAlarmNames(colour: Colour): string[] {
    const names = fleetAlarmNames(this.environment, colour);
    return [names.errors5xx, names.latency, names.unhealthyHosts];
  }

  /** Requests the colour's targets received, per minute (Sum). */
  metricRequestCount(colour: Colour, props: cloudwatch.MetricOptions = {}): cloudwatch.IMetric {
    return this.colourAlarms[colour].metrics.requestCount().with(props);
  }

  /** 5xx responses the colour's targets returned, per minute (Sum). */
  metric5xxCount(colour: Colour, props: cloudwatch.MetricOptions = {}): cloudwatch.IMetric {
    return this.colourAlarms[colour].metrics.errors5xxCount().with(props);
  }

  /** Target 5xx responses per request, per minute (0 in minutes without errors). */
  metric5xxRatio(colour: Colour, props: cloudwatch.MathExpressionOptions = {}): cloudwatch.IMetric {
    return this.colourAlarms[colour].metrics.errors5xxRatio().with(props);
  }

  /** p99 target response time in seconds, per minute. */
  metricP99Latency(colour: Colour, props: cloudwatch.MetricOptions = {}): cloudwatch.IMetric {
    return this.colourAlarms[colour].metrics.p99Latency().with(props);
  }

  /** Highest count of unhealthy targets in each minute. */
  metricUnhealthyHosts(colour: Colour, props: cloudwatch.MetricOptions = {}): cloudwatch.IMetric {
    return this.colourAlarms[colour].metrics.unhealthyHosts().with(props);
  }

  /** Permits resizing either group and switching its launch-template version. */
  grantScaleGroups(grantee: iam.IGrantable): iam.Grant {
    return this.grants.scaleGroups(grantee);
  }

  /** Permits starting an instance refresh of either group. */
  grantRefresh(grantee: iam.IGrantable): iam.Grant {
    return this.grants.refresh(grantee);
  }

  /** Permits cancelling an instance refresh of either group. */
  grantCancelRefresh(grantee: iam.IGrantable): iam.Grant {
    return this.grants.cancelRefresh(grantee);
  }

  /**
   * Permits creating launch-template versions and launching (with the instance role) from the
   * fleet's template only, in its subnets, of images owned by `imageOwners` only.
   */
  grantLaunch(grantee: iam.IGrantable, imageOwners: readonly string[]): iam.Grant {
    return this.grants.launch(grantee, imageOwners);
  }

  /** Permits changing the listener's blue/green weights. */
  grantShiftTraffic(grantee: iam.IGrantable): iam.Grant {
    return this.grants.shiftTraffic(grantee);
  }

  /** Permits reading and writing the SSM parameters that hold the fleet's runtime state. */
  grantRuntimeState(grantee: iam.IGrantable): iam.Grant {
    return this.grants.runtimeState(grantee);
  }

  /** Permits reading (only) the SSM parameters that hold the fleet's runtime state. */
  grantReadRuntimeState(grantee: iam.IGrantable): iam.Grant {
    return this.grants.runtimeState(grantee, ['ssm:GetParameter']);
  }

  /** Permits reading the state of the fleet's alarms. */
  grantReadAlarms(grantee: iam.IGrantable): iam.Grant {
    return this.grants.readAlarms(grantee);
  }

  /** Permits detaching instances from either group and terminating the fleet's instances. */
  grantRemoveInstances(grantee: iam.IGrantable): iam.Grant {
    return this.grants.removeInstances(grantee);
  }

  /** Permits putting these tag keys (only) on the fleet's instances (only). */
  grantTagInstances(grantee: iam.IGrantable, ...keys: string[]): iam.Grant {
    return this.grants.tagInstances(grantee, keys);
  }
}

/** The fleet's own invariants; what an environment may configure is the schema's business (lib/config). */
function validateProps(props: ImmutableFleetProps): void {
  const where = `ImmutableFleet(${props.environment})`;
  const { min, desired, max } = props.capacity;
  for (const [field, value] of Object.entries({ min, desired, max })) {
    if (!Token.isUnresolved(value) && (!Number.isInteger(value) || value < 0)) {
      throw new Error(`${where} capacity.${field} must be a whole number >= 0, got ${value}`);
    }
  }
  if (max < 1) throw new Error(`${where} capacity.max must be >= 1, got ${max}`);
  for (const problem of capacityOrderProblems(props.capacity)) {
    throw new Error(
      `${where} capacity.${problem.field} ${problem.message}, got ${props.capacity[problem.field]}`,
    );
  }
  if (!APP_NAME.test(props.appName))
    throw new Error(`${where} appName ${APP_NAME.message}, got ${JSON.stringify(props.appName)}`);
  if (!Token.isUnresolved(props.appPort) && !TCP_PORT.test(props.appPort))
    throw new Error(`${where} appPort ${TCP_PORT.message}, got ${props.appPort}`);
  if (!HEALTH_CHECK_PATH.test(props.healthCheckPath))
    throw new Error(
      `${where} healthCheckPath ${HEALTH_CHECK_PATH.message}, got ${JSON.stringify(props.healthCheckPath)}`,
    );
}
