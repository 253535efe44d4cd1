/**
 * The contract between the fleet simulator and the rehearsal runner: the world a rehearsal
 * starts from (`SimWorldSpec`) and what it observes after every step (`SimSnapshot`).
 */

/** An AMI of the simulated account and how instances launched from it behave. */
export interface SimImage {
  readonly imageId: string;
  /** Whether targets running this image pass the load balancer's health checks. */
  readonly healthy: boolean;
  /** Fraction (0-1) of the requests served by this image that answer 5xx. */
  readonly errorRate: number;
  /** 99th percentile response time of this image, in milliseconds. */
  readonly p99LatencyMs: number;
  readonly tags?: Record<string, string>;
  /**
   * False for an image that is gone (deregistered): DescribeImages does not find it and launches
   * from it fail, but instances already running it keep running.
   * @default true
   */
  readonly exists?: boolean;
  /**
   * The account that owns it. Another account's image is one this account may launch (public or
   * shared): DescribeImages shows it unless `Owners` leaves that account out; the tags it shows
   * are this account's own (tags on a public or shared image are per account).
   * @default the world's account
   */
  readonly ownerId?: string;
  /** Launchable by every account. @default true for another account's image, false for the world's own */
  readonly public?: boolean;
}

export type Colour = 'blue' | 'green';
export type AlarmKind = '5xx' | 'latency' | 'unhealthy-hosts';
export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export interface SimGroupSpec {
  readonly name: string;
  readonly colour: Colour;
  readonly targetGroupArn: string;
  readonly minSize: number;
  readonly maxSize: number;
  readonly desired: number;
  /** Launch template version the group runs: a number, `$Latest` or `$Default`. */
  readonly launchTemplateVersion: string;
  /** AMI of the instances running at the start (they count as launched from the group's version). */
  readonly instanceImageId: string;
  /** Age of the instances running at the start, in days. */
  readonly instanceAgeDays: number;
  readonly healthCheckGracePeriod: number;
  readonly defaultInstanceWarmup: number;
}

export interface SimAlarmSpec {
  readonly name: string;
  /**
   * `5xx`: HTTPCode_Target_5XX_Count / RequestCount of the target group (a ratio, 0-1);
   * `latency`: TargetResponseTime p99 in seconds; `unhealthy-hosts`: UnHealthyHostCount (Maximum).
   */
  readonly kind: AlarmKind;
  readonly targetGroupArn: string;
  readonly threshold: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  /** A multiple of 60. */
  readonly periodSeconds: number;
  /**
   * How a datapoint is compared with the threshold.
   * @default 'GreaterThanOrEqualToThreshold' (the CDK's default for `createAlarm`)
   */
  readonly comparisonOperator?: 'GreaterThanThreshold' | 'GreaterThanOrEqualToThreshold';
}

/**
 * A target group and the physical settings that time what happens to its targets. Left out, a
 * setting is AWS's default for an Application Load Balancer's HTTP target group.
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-target-groups.html#deregistration-delay
 */
export interface SimTargetGroupSpec {
  readonly arn: string;
  /** `targetgroup/<name>/<id>`, the CloudWatch TargetGroup dimension. */
  readonly fullName: string;
  /** `app/<name>/<id>`, the CloudWatch LoadBalancer dimension. */
  readonly loadBalancerFullName: string;
  /** How long a deregistered target drains before its instance is terminated. @default 300 */
  readonly deregistrationDelaySeconds?: number;
  /**
   * The health checks. A new target's passing ones are part of `launchSeconds`; a failing target
   * stays `initial` for `intervalSeconds × unhealthyThresholdCount`, then is `unhealthy`.
   * @default { intervalSeconds: 30, healthyThresholdCount: 5, unhealthyThresholdCount: 2 }
   */
  readonly healthCheck?: {
    readonly intervalSeconds: number;
    readonly healthyThresholdCount: number;
    readonly unhealthyThresholdCount: number;
  };
}

export interface SimWorldSpec {
  readonly region: string;
  readonly accountId: string;
  readonly startTime: Date;
  /** Requests per second reaching the listener, split between target groups by weight. */
  readonly requestsPerSecond: number;
  /** Seconds from launch to InService with a health-checked target. */
  readonly launchSeconds: number;
  /** The DescribeImages universe. */
  readonly images: readonly SimImage[];
  /**
   * Version 1 exists, on `defaultImageId`, and is the default version; each of `laterImageIds`
   * is one more version (2, 3, ...) on that image, as earlier rollouts left them.
   */
  readonly launchTemplate: {
    readonly id: string;
    readonly name: string;
    readonly defaultImageId: string;
    readonly laterImageIds?: readonly string[];
  };
  readonly groups: readonly SimGroupSpec[];
  readonly listener: {
    readonly arn: string;
    readonly loadBalancerArn: string;
    /** Weight (0-999) per target group ARN. */
    readonly weights: Record<string, number>;
  };
  readonly targetGroups: readonly SimTargetGroupSpec[];
  readonly alarms: readonly SimAlarmSpec[];
  /** ALARM when any child is in ALARM. */
  readonly compositeAlarms: ReadonlyArray<{ readonly name: string; readonly children: readonly string[] }>;
  readonly parameters: ReadonlyArray<{
    readonly name: string;
    readonly value: string;
    readonly type: 'String' | 'StringList';
    readonly dataType?: 'text' | 'aws:ec2:image';
  }>;
  readonly tables: ReadonlyArray<{
    readonly name: string;
    readonly partitionKey: string;
    readonly sortKey?: string;
  }>;
  /** The SNS topics that exist, by ARN: a Publish to any other fails with NotFound. */
  readonly topics: readonly string[];
}

export interface SimGroupSnapshot {
  readonly desired: number;
  readonly min: number;
  readonly max: number;
  /** Instances in the InService lifecycle state (healthy or not). */
  readonly inService: number;
  /** InService instances whose target is healthy. */
  readonly healthy: number;
  readonly pending: number;
  readonly launchTemplateVersion: string;
  /** InService instances per AMI id. */
  readonly imageIds: Record<string, number>;
}

export interface SimSnapshot {
  /** Seconds since `startTime`. */
  readonly t: number;
  /** Listener weights, percent of the total weight (0 when every weight is 0). */
  readonly weights: Record<Colour, number>;
  /** Percent of the requests served by each AMI; requests no healthy target can take are in no entry. */
  readonly trafficByImage: Record<string, number>;
  /** InService instances per AMI id, all groups. */
  readonly instancesByImage: Record<string, number>;
  readonly groups: Record<Colour, SimGroupSnapshot>;
  /** Healthy InService instances in the target groups that have a weight above 0. */
  readonly healthyServing: number;
  /**
   * The capacity the serving fleet should have: the largest of the baseline (the desired
   * capacity of the groups serving at the start of the run) and the desired capacity of each
   * group serving now (weight above 0). See the simulator's README section for why.
   */
  readonly servingDesired: number;
  readonly alarms: Record<string, AlarmState>;
  /** The most recently started instance refresh, any group. */
  readonly refresh?: { readonly group: string; readonly status: string; readonly percentageComplete: number };
  /** Instances that were InService and have been terminated (refresh, health replacement or scale-in). */
  readonly instancesReplaced: number;
}
