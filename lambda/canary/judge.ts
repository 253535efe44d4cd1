import type { CanarySettings } from '../shared/settings';
import type { MetricSummary, StepJudgement } from '../shared/documents';

/**
 * Judge one canary step: the canary colour against absolute thresholds and against the
 * baseline colour serving beside it. Pure, so every rule is tested directly.
 *
 * - Any of the canary colour's alarms in ALARM fails the step.
 * - Fewer than `minRequests` canary requests are too thin to judge by metrics; only the
 *   alarms count then (the reason says so).
 * - 5xx ratio above `max5xxRatio`, or more than `max5xxRatioIncrease` above a baseline that has
 *   enough traffic itself, fails.
 * - p99 latency above `maxP99LatencySeconds`, or above `maxLatencyRatio` × the baseline's p99,
 *   fails.
 */
export function judgeStep(input: {
  weight: number;
  canary: MetricSummary;
  baseline: MetricSummary;
  alarmsInAlarm: string[];
  thresholds: CanarySettings;
}): StepJudgement {
  const { canary, baseline, thresholds: t } = input;
  const failures: string[] = input.alarmsInAlarm.map((a) => `alarm ${a} is in ALARM`);
  const notes: string[] = [];
  const baselineJudgeable = baseline.requests >= t.minRequests && baseline.requests > 0;
  if (canary.requests < t.minRequests) {
    notes.push(`thin traffic: ${canary.requests} canary requests < ${t.minRequests}, judged on alarms only`);
  } else {
    if (canary.errorRatio > t.max5xxRatio) {
      failures.push(
        `canary 5xx ratio ${fmt(canary.errorRatio)} > ${fmt(t.max5xxRatio)} (${Math.round(canary.errors5xx)}/${Math.round(canary.requests)})`,
      );
    }
    if (baselineJudgeable && canary.errorRatio > baseline.errorRatio + t.max5xxRatioIncrease) {
      failures.push(
        `canary 5xx ratio ${fmt(canary.errorRatio)} exceeds baseline ${fmt(baseline.errorRatio)} by more than ${fmt(t.max5xxRatioIncrease)}`,
      );
    }
    if (canary.p99LatencySeconds !== null) {
      if (canary.p99LatencySeconds > t.maxP99LatencySeconds) {
        failures.push(`canary p99 ${fmt(canary.p99LatencySeconds)} s > ${fmt(t.maxP99LatencySeconds)} s`);
      }
      if (
        baselineJudgeable &&
        baseline.p99LatencySeconds !== null &&
        baseline.p99LatencySeconds > 0 &&
        canary.p99LatencySeconds > baseline.p99LatencySeconds * t.maxLatencyRatio
      ) {
        failures.push(
          `canary p99 ${fmt(canary.p99LatencySeconds)} s > ${t.maxLatencyRatio} × baseline ${fmt(baseline.p99LatencySeconds)} s`,
        );
      }
    }
  }
  return {
    weight: input.weight,
    verdict: failures.length ? 'fail' : 'pass',
    reasons: [...failures, ...notes],
    canary,
    baseline,
    alarmsInAlarm: input.alarmsInAlarm,
  };
}

export function summarize(
  requests: number,
  errors5xx: number,
  p99LatencySeconds: number | null,
): MetricSummary {
  return { requests, errors5xx, errorRatio: requests > 0 ? errors5xx / requests : 0, p99LatencySeconds };
}

// Six significant digits: a value just over its limit (p99 2.00001 s against 2 s) must not print as the limit.
const fmt = (v: number) => String(Number(v.toPrecision(6)));
