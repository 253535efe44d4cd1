import type { Group, ImageBehaviour } from './account-records';
import type { EventQueue } from './event-queue';
import type { AlarmKind, AlarmState, SimAlarmSpec, SimWorldSpec } from './types';

/** An image carrying less than this share of a period's requests does not set its p99. */
const P99_MIN_SHARE = 0.01;

interface TargetGroupFlow {
  /** Requests per second routed to the target group. */
  readonly requests: number;
  /** 5xx per second answered for the target group. */
  readonly errors: number;
  /** Requests per second per AMI. */
  readonly byImage: ReadonlyMap<string, number>;
  /** The p99 latency (ms) each AMI serving here answers with now. */
  readonly latencyMs: ReadonlyMap<string, number>;
  readonly healthy: number;
  readonly unhealthy: number;
}

/** Per-minute accumulation for one target group (integrals over the seconds covered). */
interface MinuteBucket {
  requests: number;
  errors: number;
  readonly byImage: Map<string, number>;
  /** The worst p99 (ms) each AMI answered with during the minute: an image can regress mid-run. */
  readonly latencyMsByImage: Map<string, number>;
  healthySeconds: number;
  unhealthySeconds: number;
  healthyMax: number;
  unhealthyMax: number;
  healthyMin: number;
  unhealthyMin: number;
  covered: number;
}

export type MetricName =
  | 'RequestCount'
  | 'HTTPCode_Target_5XX_Count'
  | 'TargetResponseTime'
  | 'HealthyHostCount'
  | 'UnHealthyHostCount';

/** The statistics each metric supports here. */
export const METRIC_STATS: Record<MetricName, readonly string[]> = {
  RequestCount: ['Sum'],
  HTTPCode_Target_5XX_Count: ['Sum'],
  TargetResponseTime: ['p99', 'Average', 'Maximum'],
  HealthyHostCount: ['Average', 'Maximum', 'Minimum'],
  UnHealthyHostCount: ['Average', 'Maximum', 'Minimum'],
};

interface AlarmRecord {
  readonly spec: SimAlarmSpec;
  /** Breaching (true), not breaching (false) or missing (null), newest last. */
  readonly datapoints: Array<boolean | null>;
  computed: 'OK' | 'ALARM';
  lastValue?: number;
  state: AlarmState;
  reason: string;
  updatedAt: number;
}

interface CompositeRecord {
  readonly name: string;
  readonly children: readonly string[];
  state: AlarmState;
  reason: string;
  updatedAt: number;
}

/**
 * What the traffic model needs of the world: its clock and event queue, the listener's weights,
 * the healthy instances behind each target group and how each image behaves.
 */
export interface TrafficWorld {
  readonly t: number;
  readonly queue: Pick<EventQueue, 'schedule'>;
  readonly spec: Pick<
    SimWorldSpec,
    'startTime' | 'requestsPerSecond' | 'targetGroups' | 'alarms' | 'compositeAlarms'
  >;
  /** Listener weight by target group ARN. */
  readonly weights: ReadonlyMap<string, number>;
  readonly groupsByTargetGroup: ReadonlyMap<
    string,
    Pick<Group, 'healthy' | 'inService' | 'initial' | 'healthyByImage'>
  >;
  /** How each image behaves here (an image with no entry behaves like a healthy release). */
  behaviourOf(imageId: string): Pick<ImageBehaviour, 'errorRate' | 'p99LatencyMs'>;
}

/**
 * The traffic model and CloudWatch: requests split by listener weight, then by healthy instances
 * per image; per-minute ALB metrics integrated from the state history; alarms evaluated at every
 * period boundary from those datapoints (M of N, missing data not breaching), with forced windows.
 * Values are expected counts, not samples, so runs are deterministic.
 */
export class Traffic {
  private flows = new Map<string, TargetGroupFlow>();
  private signature = '';
  private segmentStart = 0;
  private readonly buckets = new Map<string, Map<number, MinuteBucket>>();
  readonly alarms = new Map<string, AlarmRecord>();
  readonly composites = new Map<string, CompositeRecord>();
  private readonly forced: Array<{ kind: AlarmKind; from: number; until: number }> = [];

  constructor(private readonly world: TrafficWorld) {
    for (const spec of world.spec.alarms) {
      this.alarms.set(spec.name, {
        spec,
        datapoints: [],
        computed: 'OK',
        state: 'OK',
        reason: 'Threshold not breached (no datapoints yet; missing data is not breaching).',
        updatedAt: 0,
      });
    }
    for (const composite of world.spec.compositeAlarms) {
      this.composites.set(composite.name, {
        name: composite.name,
        children: composite.children,
        state: 'OK',
        reason: 'No child alarm is in ALARM.',
        updatedAt: 0,
      });
    }
    this.flows = this.computeFlows();
    this.signature = signatureOf(this.flows);
    this.scheduleMinute();
  }

  /** Closes the current state at `now` if the fleet or the weights changed since it began. */
  observe(): void {
    const flows = this.computeFlows();
    const signature = signatureOf(flows);
    if (signature === this.signature) return;
    this.flush();
    this.flows = flows;
    this.signature = signature;
  }

  /** Integrates the current state up to now into the minute buckets. */
  flush(): void {
    const start = this.segmentStart;
    const end = this.world.t;
    if (end <= start) return;
    const base = this.world.spec.startTime.getTime() / 1000;
    let from = start;
    while (from < end) {
      const minute = Math.floor((base + from) / 60);
      const minuteEnd = (minute + 1) * 60 - base;
      const to = Math.min(end, minuteEnd);
      const seconds = to - from;
      for (const [arn, flow] of this.flows) this.accumulate(arn, minute, flow, seconds);
      from = to;
    }
    this.segmentStart = end;
  }

  /** The current flow per target group ARN (requests per second and healthy hosts). */
  currentFlows(): ReadonlyMap<string, TargetGroupFlow> {
    return this.flows;
  }

  alarmState(name: string): AlarmState | undefined {
    return this.alarms.get(name)?.state ?? this.composites.get(name)?.state;
  }

  /** Every alarm of `kind` is in ALARM from `from` for `duration` seconds (to the end when omitted). */
  force(kind: AlarmKind, from: number, duration?: number): void {
    const window = { kind, from, until: duration === undefined ? Infinity : from + duration };
    this.forced.push(window);
    const apply = () => this.applyStates();
    if (from <= this.world.t) apply();
    else this.world.queue.schedule(from, 'forced-alarm-start', apply);
    if (window.until !== Infinity) this.world.queue.schedule(window.until, 'forced-alarm-end', apply);
  }

  /**
   * Datapoints of one metric for a target group, per `period` seconds aligned to the epoch, for
   * periods overlapping [start, end), oldest first. Count metrics have no datapoint in a period
   * without counts, as CloudWatch publishes ALB counts only when they are non-zero.
   * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
   */
  series(
    targetGroupArn: string,
    metric: MetricName,
    stat: string,
    period: number,
    start: number,
    end: number,
  ): Array<{ timestamp: number; value: number }> {
    this.flush();
    const minutes = this.buckets.get(targetGroupArn);
    const out: Array<{ timestamp: number; value: number }> = [];
    if (!minutes) return out;
    const firstPeriod = Math.floor(start / period) * period;
    for (let p = firstPeriod; p < end; p += period) {
      const value = this.aggregate(minutes, p, period, metric, stat);
      if (value !== undefined) out.push({ timestamp: p, value });
    }
    return out;
  }

  private aggregate(
    minutes: Map<number, MinuteBucket>,
    periodStart: number,
    period: number,
    metric: MetricName,
    stat: string,
  ): number | undefined {
    const total: MinuteBucket = emptyBucket();
    let any = false;
    for (let m = periodStart / 60; m < (periodStart + period) / 60; m++) {
      const bucket = minutes.get(m);
      if (!bucket || bucket.covered === 0) continue;
      any = true;
      total.requests += bucket.requests;
      total.errors += bucket.errors;
      for (const [image, requests] of bucket.byImage)
        total.byImage.set(image, (total.byImage.get(image) ?? 0) + requests);
      for (const [image, ms] of bucket.latencyMsByImage)
        total.latencyMsByImage.set(image, Math.max(total.latencyMsByImage.get(image) ?? 0, ms));
      total.healthySeconds += bucket.healthySeconds;
      total.unhealthySeconds += bucket.unhealthySeconds;
      total.healthyMax = Math.max(total.healthyMax, bucket.healthyMax);
      total.unhealthyMax = Math.max(total.unhealthyMax, bucket.unhealthyMax);
      total.healthyMin = Math.min(total.healthyMin, bucket.healthyMin);
      total.unhealthyMin = Math.min(total.unhealthyMin, bucket.unhealthyMin);
      total.covered += bucket.covered;
    }
    if (!any) return undefined;
    switch (metric) {
      case 'RequestCount':
        return total.requests > 0 ? total.requests : undefined;
      case 'HTTPCode_Target_5XX_Count':
        return total.errors > 0 ? total.errors : undefined;
      case 'TargetResponseTime':
        return this.latency(total, stat);
      case 'HealthyHostCount':
        return stat === 'Maximum'
          ? total.healthyMax
          : stat === 'Minimum'
            ? total.healthyMin
            : total.healthySeconds / total.covered;
      case 'UnHealthyHostCount':
        return stat === 'Maximum'
          ? total.unhealthyMax
          : stat === 'Minimum'
            ? total.unhealthyMin
            : total.unhealthySeconds / total.covered;
    }
  }

  /**
   * The model knows one latency per image (its p99). The p99 of a mix is taken as the highest p99
   * among images carrying at least 1 % of the requests; the Average is the request-weighted mean.
   */
  private latency(bucket: MinuteBucket, stat: string): number | undefined {
    if (bucket.requests <= 0) return undefined;
    let worst = 0;
    let weighted = 0;
    for (const [imageId, requests] of bucket.byImage) {
      const latency =
        (bucket.latencyMsByImage.get(imageId) ?? this.world.behaviourOf(imageId).p99LatencyMs) / 1000;
      weighted += latency * requests;
      if (requests / bucket.requests >= P99_MIN_SHARE) worst = Math.max(worst, latency);
    }
    const served = [...bucket.byImage.values()].reduce((a, b) => a + b, 0);
    if (served <= 0) return undefined;
    return stat === 'Average' ? weighted / served : worst;
  }

  private accumulate(arn: string, minute: number, flow: TargetGroupFlow, seconds: number): void {
    let minutes = this.buckets.get(arn);
    if (!minutes) {
      minutes = new Map();
      this.buckets.set(arn, minutes);
    }
    let bucket = minutes.get(minute);
    if (!bucket) {
      bucket = emptyBucket();
      minutes.set(minute, bucket);
    }
    bucket.requests += flow.requests * seconds;
    bucket.errors += flow.errors * seconds;
    for (const [image, rate] of flow.byImage)
      bucket.byImage.set(image, (bucket.byImage.get(image) ?? 0) + rate * seconds);
    for (const [image, ms] of flow.latencyMs)
      bucket.latencyMsByImage.set(image, Math.max(bucket.latencyMsByImage.get(image) ?? 0, ms));
    bucket.healthySeconds += flow.healthy * seconds;
    bucket.unhealthySeconds += flow.unhealthy * seconds;
    bucket.healthyMax = Math.max(bucket.healthyMax, flow.healthy);
    bucket.unhealthyMax = Math.max(bucket.unhealthyMax, flow.unhealthy);
    bucket.healthyMin = Math.min(bucket.healthyMin, flow.healthy);
    bucket.unhealthyMin = Math.min(bucket.unhealthyMin, flow.unhealthy);
    bucket.covered += seconds;
  }

  /**
   * Requests split by listener weight; within a target group, by healthy instances per image. A
   * target group with weight but no healthy target answers its whole share with 5xx (the ALB's 503,
   * counted with the target 5xx so a canary with no healthy host is judged failing).
   */
  private computeFlows(): Map<string, TargetGroupFlow> {
    const world = this.world;
    let totalWeight = 0;
    for (const weight of world.weights.values()) totalWeight += weight;
    const flows = new Map<string, TargetGroupFlow>();
    for (const target of world.spec.targetGroups) {
      const weight = world.weights.get(target.arn) ?? 0;
      const requests = totalWeight > 0 ? (world.spec.requestsPerSecond * weight) / totalWeight : 0;
      const group = world.groupsByTargetGroup.get(target.arn);
      const healthy = group?.healthy ?? 0;
      // Targets still in their initial health checks are neither (UnHealthyHostCount leaves them out).
      const unhealthy = (group?.inService ?? 0) - healthy - (group?.initial ?? 0);
      const byImage = new Map<string, number>();
      const latencyMs = new Map<string, number>();
      let errors = 0;
      if (requests > 0 && healthy === 0) errors = requests;
      else if (requests > 0 && group) {
        for (const [imageId, count] of group.healthyByImage) {
          const share = (requests * count) / healthy;
          byImage.set(imageId, share);
          latencyMs.set(imageId, world.behaviourOf(imageId).p99LatencyMs);
          errors += share * world.behaviourOf(imageId).errorRate;
        }
      }
      flows.set(target.arn, { requests, errors, byImage, latencyMs, healthy, unhealthy });
    }
    return flows;
  }

  private scheduleMinute(): void {
    const base = this.world.spec.startTime.getTime() / 1000;
    const next = (Math.floor((base + this.world.t) / 60) + 1) * 60 - base;
    this.world.queue.schedule(next, 'metric-minute', () => {
      this.evaluate();
      this.scheduleMinute();
    });
  }

  /** At a minute boundary: every alarm whose period ends now takes a datapoint. */
  private evaluate(): void {
    this.flush();
    const epoch = Math.round(this.world.spec.startTime.getTime() / 1000 + this.world.t);
    for (const alarm of this.alarms.values()) {
      const { spec } = alarm;
      if (epoch % spec.periodSeconds !== 0) continue;
      const start = epoch - spec.periodSeconds - this.world.spec.startTime.getTime() / 1000;
      const value = this.alarmValue(spec, start);
      const breaching =
        value === undefined
          ? null
          : spec.comparisonOperator === 'GreaterThanThreshold'
            ? value > spec.threshold
            : value >= spec.threshold;
      alarm.datapoints.push(breaching);
      if (alarm.datapoints.length > spec.evaluationPeriods) alarm.datapoints.shift();
      if (value !== undefined) alarm.lastValue = value;
      const breaches = alarm.datapoints.filter((d) => d === true).length;
      alarm.computed = breaches >= spec.datapointsToAlarm ? 'ALARM' : 'OK';
    }
    this.applyStates();
  }

  /** Value of an alarm's datapoint for the period starting `start` (seconds since the run start). */
  private alarmValue(spec: SimAlarmSpec, start: number): number | undefined {
    const base = this.world.spec.startTime.getTime() / 1000;
    const from = base + start;
    const to = from + spec.periodSeconds;
    const one = (metric: MetricName, stat: string) =>
      this.series(spec.targetGroupArn, metric, stat, spec.periodSeconds, from, to)[0]?.value;
    switch (spec.kind) {
      case '5xx': {
        const requests = one('RequestCount', 'Sum');
        if (requests === undefined) return undefined;
        return (one('HTTPCode_Target_5XX_Count', 'Sum') ?? 0) / requests;
      }
      case 'latency':
        return one('TargetResponseTime', 'p99');
      case 'unhealthy-hosts':
        return one('UnHealthyHostCount', 'Maximum');
    }
  }

  private isForced(kind: AlarmKind): boolean {
    const t = this.world.t;
    return this.forced.some((w) => w.kind === kind && t >= w.from && t < w.until);
  }

  private applyStates(): void {
    const t = this.world.t;
    for (const alarm of this.alarms.values()) {
      const forced = this.isForced(alarm.spec.kind);
      const state = forced ? 'ALARM' : alarm.computed;
      if (state === alarm.state) continue;
      alarm.state = state;
      alarm.updatedAt = t;
      alarm.reason = forced
        ? 'Forced into ALARM by the rehearsal scenario.'
        : state === 'ALARM'
          ? `Threshold crossed: ${alarm.datapoints.filter((d) => d === true).length} of the last ${alarm.spec.evaluationPeriods} datapoints breached the threshold (${alarm.spec.threshold}); last value ${alarm.lastValue}.`
          : `Threshold not crossed: fewer than ${alarm.spec.datapointsToAlarm} of the last ${alarm.spec.evaluationPeriods} datapoints breached the threshold (${alarm.spec.threshold}).`;
    }
    for (const composite of this.composites.values()) {
      const inAlarm = composite.children.filter((c) => this.alarms.get(c)?.state === 'ALARM');
      const state: AlarmState = inAlarm.length > 0 ? 'ALARM' : 'OK';
      if (state === composite.state) continue;
      composite.state = state;
      composite.updatedAt = t;
      composite.reason =
        state === 'ALARM' ? `Child alarms in ALARM: ${inAlarm.join(', ')}.` : 'No child alarm is in ALARM.';
    }
  }
}

function emptyBucket(): MinuteBucket {
  return {
    requests: 0,
    errors: 0,
    byImage: new Map(),
    latencyMsByImage: new Map(),
    healthySeconds: 0,
    unhealthySeconds: 0,
    healthyMax: 0,
    unhealthyMax: 0,
    healthyMin: Infinity,
    unhealthyMin: Infinity,
    covered: 0,
  };
}

function signatureOf(flows: Map<string, TargetGroupFlow>): string {
  let out = '';
  for (const [arn, flow] of flows) {
    // Errors and latency too: an image that regresses changes the flow without a fleet change.
    out += `${arn}:${flow.requests}:${flow.errors}:${flow.healthy}:${flow.unhealthy}`;
    for (const [image, rate] of flow.byImage) out += `,${image}=${rate}@${flow.latencyMs.get(image)}`;
    out += ';';
  }
  return out;
}
