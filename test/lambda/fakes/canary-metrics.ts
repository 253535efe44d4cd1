import type { CanaryMetrics, MinuteSeries, TargetGroupMetrics } from '../../../lambda/canary/ports';

/** One minute of a target group's metrics; a minute without requests has no p99. */
export interface Minute {
  readonly requests: number;
  readonly errors5xx: number;
  readonly p99LatencySeconds?: number;
}

const keyOf = (t: TargetGroupMetrics) => `${t.loadBalancer} ${t.targetGroup}`;

/** CloudWatch held in memory: per-minute metrics of each target group, and each alarm's state. */
export class FakeCanaryMetrics implements CanaryMetrics {
  private readonly minutes = new Map<string, Map<number, Minute>>();
  /** Each alarm's state: OK, ALARM or INSUFFICIENT_DATA. */
  readonly alarms = new Map<string, string>();
  /** What each metrics read asked for. */
  readonly reads: Array<{ targets: TargetGroupMetrics[]; start: Date; end: Date }> = [];
  /** The names each alarm read asked about. */
  readonly alarmReads: string[][] = [];

  /** The target group's metrics for the minute starting at `at`. */
  record(target: TargetGroupMetrics, at: Date, minute: Minute): this {
    const series = this.minutes.get(keyOf(target)) ?? new Map<number, Minute>();
    series.set(at.getTime(), minute);
    this.minutes.set(keyOf(target), series);
    return this;
  }

  perMinute(targets: readonly TargetGroupMetrics[], start: Date, end: Date): Promise<MinuteSeries[]> {
    this.reads.push({ targets: [...targets], start, end });
    return Promise.resolve(
      targets.map((t) => {
        const inWindow = [...(this.minutes.get(keyOf(t)) ?? new Map<number, Minute>())]
          .filter(([at]) => at >= start.getTime() && at < end.getTime())
          .map(([, m]) => m);
        return {
          requests: inWindow.map((m) => m.requests),
          errors5xx: inWindow.map((m) => m.errors5xx),
          p99LatencySeconds: inWindow.flatMap((m) =>
            m.p99LatencySeconds === undefined ? [] : [m.p99LatencySeconds],
          ),
        };
      }),
    );
  }

  inAlarm(names: readonly string[]): Promise<string[]> {
    this.alarmReads.push([...names]);
    return Promise.resolve(names.filter((n) => this.alarms.get(n) === 'ALARM'));
  }
}
