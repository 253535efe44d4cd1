import { DescribeAlarmsCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { CloudWatchClient, MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { canaryWeights } from '../planning/fleet-math';
import { CanaryFailed } from '../shared/errors';
import type { Colour } from '../shared/colours';
import type { WorkflowSettings } from '../shared/settings';
import type { CanaryPlan, CanaryProgress, FlipPlan, MetricSummary } from '../shared/documents';
import { setWeights } from '../traffic/listener';
import { judgeStep, summarize } from './judge';

/** Put the current step's weights on the listener and start its bake. */
export async function shiftTraffic(
  e: { settings: WorkflowSettings; plan: CanaryPlan | FlipPlan; progress?: CanaryProgress },
  d: { elb: ElasticLoadBalancingV2Client; now: Date },
): Promise<CanaryProgress> {
  const { plan } = e;
  const step = e.progress?.step ?? 0;
  const percent = plan.kind === 'flip' ? 100 : (plan.steps[step] ?? 100);
  const { canary, baseline } = canaryWeights(percent);
  const weights =
    plan.to.colour === 'blue' ? { blue: canary, green: baseline } : { blue: baseline, green: canary };
  await setWeights(d.elb, e.settings, weights);
  return {
    ...(e.progress ?? emptyProgress()),
    step,
    weight: percent,
    stepStartedAt: d.now.toISOString(),
    done: plan.kind === 'flip',
  };
}

/** Measure the finished bake, judge it, and move to the next step (or throw `CanaryFailed`). */
export async function judgeCanaryStep(
  e: { settings: WorkflowSettings; plan: CanaryPlan; progress: CanaryProgress },
  d: { cloudwatch: CloudWatchClient; now: Date },
): Promise<CanaryProgress> {
  const { settings: s, plan, progress } = e;
  const start = new Date(progress.stepStartedAt ?? d.now.toISOString());
  const [canary, baseline] = await measure(d.cloudwatch, s, [plan.to.colour, plan.from.colour], start, d.now);
  const alarms = await alarmsInAlarm(d.cloudwatch, s.alarms[plan.to.colour]);
  const judgement = judgeStep({
    weight: progress.weight,
    canary: canary as MetricSummary,
    baseline: baseline as MetricSummary,
    alarmsInAlarm: alarms,
    thresholds: s.canary,
  });
  const judgements = [...progress.judgements, judgement];
  if (judgement.verdict === 'fail') {
    throw new CanaryFailed(
      `step ${progress.step + 1}/${plan.steps.length} at ${progress.weight} % on ${plan.to.imageId}: ${judgement.reasons.join('; ')} ` +
        `(canary ${describe(judgement.canary)}; baseline ${describe(judgement.baseline)})`,
    );
  }
  const next = progress.step + 1;
  return { ...progress, step: next, done: next >= plan.steps.length, judgements };
}

function emptyProgress(): CanaryProgress {
  return {
    version: '',
    capacity: 0,
    healthy: 0,
    ready: true,
    deadline: '',
    waitSeconds: 0,
    step: 0,
    weight: 0,
    done: false,
    judgements: [],
  };
}

const minute = 60_000;

/**
 * Requests, 5xx and p99 of each colour's target group over the step, in whole minutes (the
 * partial minute before the shift still carried the previous weights). The p99 is the worst
 * minute's: conservative by design.
 */
async function measure(
  cloudwatch: CloudWatchClient,
  s: WorkflowSettings,
  colours: Colour[],
  start: Date,
  end: Date,
): Promise<MetricSummary[]> {
  let from = Math.ceil(start.getTime() / minute) * minute;
  let to = Math.floor(end.getTime() / minute) * minute;
  if (to <= from) {
    from = Math.floor(start.getTime() / minute) * minute;
    to = Math.ceil(end.getTime() / minute) * minute;
  }
  const metric = (id: string, colour: Colour, name: string, stat: string): MetricDataQuery => ({
    Id: id,
    ReturnData: true,
    MetricStat: {
      Metric: {
        Namespace: 'AWS/ApplicationELB',
        MetricName: name,
        Dimensions: [
          { Name: 'TargetGroup', Value: s.targetGroupDimensions[colour] },
          { Name: 'LoadBalancer', Value: s.loadBalancerDimension },
        ],
      },
      Period: 60,
      Stat: stat,
    },
  });
  const queries = colours.flatMap((c, i) => [
    metric(`req${i}`, c, 'RequestCount', 'Sum'),
    metric(`err${i}`, c, 'HTTPCode_Target_5XX_Count', 'Sum'),
    metric(`p99${i}`, c, 'TargetResponseTime', 'p99'),
  ]);
  const out = await cloudwatch.send(
    new GetMetricDataCommand({
      MetricDataQueries: queries,
      StartTime: new Date(from),
      EndTime: new Date(to),
      ScanBy: 'TimestampDescending',
    }),
  );
  const values = (id: string) => out.MetricDataResults?.find((r) => r.Id === id)?.Values ?? [];
  const sum = (id: string) => values(id).reduce((a, b) => a + b, 0);
  return colours.map((_, i) => {
    const p99s = values(`p99${i}`);
    return summarize(sum(`req${i}`), sum(`err${i}`), p99s.length ? Math.max(...p99s) : null);
  });
}

async function alarmsInAlarm(cloudwatch: CloudWatchClient, names: string[]): Promise<string[]> {
  if (names.length === 0) return [];
  const out = await cloudwatch.send(
    new DescribeAlarmsCommand({ AlarmNames: names, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }),
  );
  return [...(out.MetricAlarms ?? []), ...(out.CompositeAlarms ?? [])]
    .filter((a) => a.StateValue === 'ALARM')
    .map((a) => a.AlarmName ?? 'unnamed');
}

function describe(m: MetricSummary): string {
  const p99 = m.p99LatencySeconds === null ? 'n/a' : `${m.p99LatencySeconds.toFixed(3)} s`;
  return `${Math.round(m.requests)} requests, ${Math.round(m.errors5xx)} 5xx (${(m.errorRatio * 100).toFixed(2)} %), p99 ${p99}`;
}
