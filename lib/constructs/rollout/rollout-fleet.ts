import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type { Colour } from '../../../lambda/shared/colours';
import type { Severity } from '../../../lambda/shared/severities';

/** What the workflow needs from the fleet it rolls (ImmutableFleet provides it). */
export interface RolloutFleet {
  readonly groupNames: Readonly<Record<Colour, string>>;
  readonly targetGroups: Readonly<Record<Colour, { readonly targetGroupArn: string }>>;
  /** CloudWatch dimension values of the target groups (`targetgroup/…`). */
  readonly targetGroupFullNames: Readonly<Record<Colour, string>>;
  /** CloudWatch dimension value of the load balancer (`app/…`). */
  readonly loadBalancerFullName: string;
  readonly listenerArn: string;
  readonly launchTemplateId: string;
  readonly alarms: Readonly<
    Record<
      Colour,
      {
        readonly errors5xx: cloudwatch.IAlarm;
        readonly latency: cloudwatch.IAlarm;
        readonly unhealthyHosts: cloudwatch.IAlarm;
        readonly fleetUnhealthy: cloudwatch.IAlarm;
      }
    >
  >;
  refreshAlarmNames(colour: Colour): string[];
  readonly capacity: { readonly min: number; readonly desired: number; readonly max: number };

  /** Resize either group and switch its launch-template version. */
  grantScaleGroups(grantee: iam.IGrantable): iam.Grant;
  /** Start an instance refresh of either group. */
  grantRefresh(grantee: iam.IGrantable): iam.Grant;
  /** Cancel an instance refresh of either group. */
  grantCancelRefresh(grantee: iam.IGrantable): iam.Grant;
  /** Create launch-template versions and launch from the fleet's template. */
  grantLaunch(grantee: iam.IGrantable, imageOwners: readonly string[]): iam.Grant;
  /** Change the listener's weights. */
  grantShiftTraffic(grantee: iam.IGrantable): iam.Grant;
  /** Read and write the SSM parameters holding the runtime state. */
  grantRuntimeState(grantee: iam.IGrantable): iam.Grant;
  /** Read (only) the SSM parameters holding the runtime state. */
  grantReadRuntimeState(grantee: iam.IGrantable): iam.Grant;
  /** Read the state of the fleet's alarms. */
  grantReadAlarms(grantee: iam.IGrantable): iam.Grant;
  /** Detach instances from either group and terminate the fleet's instances. */
  grantRemoveInstances(grantee: iam.IGrantable): iam.Grant;
  /** Put these tag keys (only) on the fleet's instances (only). */
  grantTagInstances(grantee: iam.IGrantable, ...keys: string[]): iam.Grant;
}

/** Where the environment's images come from: the image factory's announcements. */
export interface RolloutImages {
  /** The image factory's account: its `Image Available` events are the only ones taken. */
  readonly factoryAccount: string;
  /** Lowest Inspector severity that keeps an image out of the fleet (the factory's trigger and every plan). */
  readonly scanGateSeverity: Severity;
  /**
   * Accounts besides the factory's whose images the fleet may run (still only those the factory announced).
   * @default - the factory's account only
   */
  readonly trustedOwners?: readonly string[];
  /** Whether a canary starts for every image the factory announces (the first environment), or only by promotion. */
  readonly takesFactoryImages: boolean;
}

/** The accounts whose AMIs the fleet may run: the image factory's, then any the configuration adds. */
export const trustedImageOwners = (images: RolloutImages): string[] => [
  ...new Set([images.factoryAccount, ...(images.trustedOwners ?? [])]),
];
