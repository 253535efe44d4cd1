/**
 * What judging a canary step asks of CloudWatch. lambda/aws/ implements the port with the AWS
 * SDK; domain tests use an in-memory fake.
 */

/** A colour's target group as the load balancer's metrics name it (their dimension values). */
export interface TargetGroupMetrics {
  readonly targetGroup: string;
  readonly loadBalancer: string;
}

/** One target group's values, one per minute that has data. */
export interface MinuteSeries {
  readonly requests: readonly number[];
  readonly errors5xx: readonly number[];
  readonly p99LatencySeconds: readonly number[];
}

export interface CanaryMetrics {
  /**
   * Requests, target 5xx responses and p99 response time of each target group, per minute,
   * over the whole minutes from `start` to `end`, read together; one series per target group,
   * in the order asked.
   */
  perMinute(targets: readonly TargetGroupMetrics[], start: Date, end: Date): Promise<MinuteSeries[]>;
  /** The alarms among `names` that are in ALARM now. */
  inAlarm(names: readonly string[]): Promise<string[]>;
}
