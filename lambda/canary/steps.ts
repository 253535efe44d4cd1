import { canaryWeights } from '../planning/fleet-math';
import { CanaryFailed } from '../shared/errors';
import type { Colour } from '../shared/colours';
import type { WorkflowSettings } from '../shared/settings';
import type { StepSettings } from '../shared/step-settings';
import type { CanaryPlan, CanaryProgress, ExecutionRef, FlipPlan, MetricSummary } from '../shared/documents';
import type { Listener } from '../traffic/ports';
import { judgeStep, summarize } from './judge';
import type { CanaryMetrics } from './ports';

/**
 * How often a step is judged while it bakes: a regression that starts mid-step pulls the canary
 * at the next look, not when the bake ends. 30 s keeps the worst case, from a regression's onset
 * through its alarm's two one-minute datapoints to no traffic on the canary, near 150 s; each
 * look costs three state transitions and one invocation.
 */
export const CANARY_CHECK_SECONDS = 30;

/** What Shift Traffic receives; Flip Traffic Back passes no progress. */
export interface ShiftTrafficEvent {
  readonly settings: StepSettings<'shift-traffic'>;
  readonly execution: ExecutionRef;
  readonly plan: CanaryPlan | FlipPlan;
  readonly progress?: CanaryProgress;
}

/** What Judge Step receives. */
export interface JudgeCanaryEvent {
  readonly settings: StepSettings<'judge-canary'>;
  readonly execution: ExecutionRef;
  readonly plan: CanaryPlan;
  readonly progress: CanaryProgress;
}

/** Put the current step's weights on the listener and start its bake. */
export async function shiftTraffic(
  e: ShiftTrafficEvent,
  d: { listener: Listener; now: Date },
): Promise<CanaryProgress> {
  const { plan } = e;
  const step = e.progress?.step ?? 0;
  const percent = plan.kind === 'flip' ? 100 : (plan.steps[step] ?? 100);
  const { canary, baseline } = canaryWeights(percent);
  const weights =
    plan.to.colour === 'blue' ? { blue: canary, green: baseline } : { blue: baseline, green: canary };
  await d.listener.setWeights(e.settings, weights);
  return {
    ...(e.progress ?? emptyProgress()),
    step,
    weight: percent,
    stepStartedAt: d.now.toISOString(),
    done: plan.kind === 'flip',
    baking: plan.kind !== 'flip',
    waitSeconds: nextLook(e.settings.canary.bakeSeconds),
  };
}

/**
 * Judge the step so far: measure it from its shift to now, and throw `CanaryFailed` at once when
 * it fails, however long it has still to bake. A passing step that has baked its time moves to the
 * next step, with its judgement kept; one still baking is looked at again in at most
 * CANARY_CHECK_SECONDS (`baking`, `waitSeconds`), keeping nothing, so the progress stays small.
 */
export async function judgeCanaryStep(
  e: JudgeCanaryEvent,
  d: { metrics: CanaryMetrics; now: Date },
): Promise<CanaryProgress> {
  const { settings: s, plan, progress } = e;
  const start = new Date(progress.stepStartedAt ?? d.now.toISOString());
  const [canary, baseline] = await measure(d.metrics, s, [plan.to.colour, plan.from.colour], start, d.now);
  const alarms = await d.metrics.inAlarm(s.alarms[plan.to.colour]);
  const judgement = judgeStep({
    weight: progress.weight,
    canary: canary as MetricSummary,
    baseline: baseline as MetricSummary,
    alarmsInAlarm: alarms,
    thresholds: s.canary,
  });
  const baked = (d.now.getTime() - start.getTime()) / 1000;
  const left = s.canary.bakeSeconds - baked;
  if (judgement.verdict === 'fail') {
    const when = left >= 1 ? ` after ${Math.round(baked)} s of its ${s.canary.bakeSeconds} s bake` : '';
    throw new CanaryFailed(
      `step ${progress.step + 1}/${plan.steps.length} at ${progress.weight} % on ${plan.to.imageId}${when}: ${judgement.reasons.join('; ')} ` +
        `(canary ${describe(judgement.canary)}; baseline ${describe(judgement.baseline)})`,
    );
  }
  // Less than a second left is not worth another look (a Wait counts whole seconds).
  if (left >= 1) return { ...progress, baking: true, waitSeconds: nextLook(left) };
  const next = progress.step + 1;
  return {
    ...progress,
    step: next,
    done: next >= plan.steps.length,
    baking: false,
    waitSeconds: 0,
    judgements: [...progress.judgements, judgement],
  };
}

/** Whole seconds to the next look at a step with `left` seconds of bake to go. */
const nextLook = (left: number) => Math.max(1, Math.min(CANARY_CHECK_SECONDS, Math.ceil(left)));

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
  metrics: CanaryMetrics,
  s: Pick<WorkflowSettings, 'targetGroupDimensions' | 'loadBalancerDimension'>,
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
  const series = await metrics.perMinute(
    colours.map((c) => ({ targetGroup: s.targetGroupDimensions[c], loadBalancer: s.loadBalancerDimension })),
    new Date(from),
    new Date(to),
  );
  const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
  return series.map((m) =>
    summarize(
      sum(m.requests),
      sum(m.errors5xx),
      m.p99LatencySeconds.length ? Math.max(...m.p99LatencySeconds) : null,
    ),
  );
}

function describe(m: MetricSummary): string {
  const p99 = m.p99LatencySeconds === null ? 'n/a' : `${m.p99LatencySeconds.toFixed(3)} s`;
  return `${Math.round(m.requests)} requests, ${Math.round(m.errors5xx)} 5xx (${(m.errorRatio * 100).toFixed(2)} %), p99 ${p99}`;
}
