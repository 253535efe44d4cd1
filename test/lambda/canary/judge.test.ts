import { judgeStep, summarize } from '../../../lambda/canary/judge';
import type { CanarySettings } from '../../../lambda/shared/settings';
import type { MetricSummary } from '../../../lambda/shared/documents';
import { settings } from '../fixtures';

const thresholds: CanarySettings = settings().canary; // 5xx ≤ 5 %, +2 points; p99 ≤ 2 s, ≤ 2× baseline; 50 requests

const healthyBaseline = summarize(5000, 10, 0.4);
const judge = (
  canary: MetricSummary,
  o: { baseline?: MetricSummary; alarms?: string[]; t?: Partial<CanarySettings> } = {},
) =>
  judgeStep({
    weight: 25,
    canary,
    baseline: o.baseline ?? healthyBaseline,
    alarmsInAlarm: o.alarms ?? [],
    thresholds: { ...thresholds, ...o.t },
  });

describe('summarize', () => {
  it('computes the error ratio', () => {
    expect(summarize(200, 5, 0.3)).toEqual({
      requests: 200,
      errors5xx: 5,
      errorRatio: 0.025,
      p99LatencySeconds: 0.3,
    });
  });

  it('gives a ratio of zero, not NaN, without requests', () => {
    expect(summarize(0, 0, null).errorRatio).toBe(0);
  });
});

describe('judgeStep passes a healthy step', () => {
  it('passes with no reasons when the canary matches the baseline', () => {
    const j = judge(summarize(1000, 2, 0.45));
    expect(j).toEqual({
      weight: 25,
      verdict: 'pass',
      reasons: [],
      canary: summarize(1000, 2, 0.45),
      baseline: healthyBaseline,
      alarmsInAlarm: [],
    });
  });

  it('passes at exactly the thresholds (they are inclusive limits)', () => {
    const j = judge(summarize(1000, 50, 2), { baseline: summarize(1000, 30, 1) });
    expect(j.verdict).toBe('pass');
  });
});

describe('judgeStep fails on alarms', () => {
  it('fails when a canary alarm is in ALARM, naming it', () => {
    const j = judge(summarize(1000, 0, 0.2), { alarms: ['immutable-dev-green-5xx'] });
    expect(j.verdict).toBe('fail');
    expect(j.reasons).toEqual(['alarm immutable-dev-green-5xx is in ALARM']);
    expect(j.alarmsInAlarm).toEqual(['immutable-dev-green-5xx']);
  });

  it('fails on alarms even when traffic is too thin to judge by metrics', () => {
    const j = judge(summarize(3, 0, 0.2), { alarms: ['immutable-dev-green-latency'] });
    expect(j.verdict).toBe('fail');
    expect(j.reasons).toEqual([
      'alarm immutable-dev-green-latency is in ALARM',
      'thin traffic: 3 canary requests < 50, judged on alarms only',
    ]);
  });
});

describe('judgeStep judges thin traffic on alarms only', () => {
  it('passes a thin step however bad its few requests look, and says why', () => {
    const j = judge(summarize(49, 49, 30));
    expect(j.verdict).toBe('pass');
    expect(j.reasons).toEqual(['thin traffic: 49 canary requests < 50, judged on alarms only']);
  });

  it('judges by metrics from exactly minRequests', () => {
    expect(judge(summarize(50, 49, 0.1)).verdict).toBe('fail');
  });
});

describe('judgeStep fails on the absolute 5xx ratio', () => {
  it('fails when the canary 5xx ratio exceeds max5xxRatio, with the numbers', () => {
    const j = judge(summarize(1000, 60, 0.3), { baseline: summarize(1000, 50, 0.3) });
    expect(j.verdict).toBe('fail');
    expect(j.reasons).toEqual(['canary 5xx ratio 0.06 > 0.05 (60/1000)']);
  });

  it('shows whole counts when CloudWatch sums come back fractional', () => {
    const j = judge(summarize(604, 120.80000000000001, 0.1), { baseline: summarize(1000, 0, 0.1) });
    expect(j.reasons[0]).toBe('canary 5xx ratio 0.2 > 0.05 (121/604)');
  });
});

describe('judgeStep fails on a 5xx increase over the baseline', () => {
  it('fails when the canary exceeds the baseline ratio by more than max5xxRatioIncrease', () => {
    const j = judge(summarize(1000, 40, 0.3), { baseline: summarize(2000, 20, 0.3) });
    expect(j.verdict).toBe('fail');
    expect(j.reasons).toEqual(['canary 5xx ratio 0.04 exceeds baseline 0.01 by more than 0.02']);
  });

  it('skips the comparison when the baseline is too thin to be a reference', () => {
    const j = judge(summarize(1000, 40, 0.3), { baseline: summarize(49, 0, 0.3) });
    expect(j.verdict).toBe('pass');
  });

  it('skips the comparison when the baseline served nothing (a first release)', () => {
    const j = judge(summarize(1000, 40, 0.3), {
      baseline: summarize(0, 0, null),
      t: { minRequests: 0 },
    });
    expect(j.verdict).toBe('pass');
  });
});

describe('judgeStep fails on absolute p99 latency', () => {
  it('fails when the canary p99 exceeds maxP99LatencySeconds, with the numbers', () => {
    const j = judge(summarize(1000, 0, 2.5), { baseline: summarize(1000, 0, 2) });
    expect(j.reasons).toEqual(['canary p99 2.5 s > 2 s']);
  });

  it('shows a value just over its limit with the digits that put it over', () => {
    const j = judge(summarize(1000, 0, 2.00001), { baseline: summarize(1000, 0, 1.5) });
    expect(j.reasons).toEqual(['canary p99 2.00001 s > 2 s']);
  });

  it('does not judge latency when the canary reports none', () => {
    expect(judge(summarize(1000, 0, null)).verdict).toBe('pass');
  });
});

describe('judgeStep fails on p99 latency relative to the baseline', () => {
  it('fails when the canary p99 exceeds maxLatencyRatio × the baseline p99', () => {
    const j = judge(summarize(1000, 0, 0.9), { baseline: summarize(1000, 0, 0.4) });
    expect(j.verdict).toBe('fail');
    expect(j.reasons).toEqual(['canary p99 0.9 s > 2 × baseline 0.4 s']);
  });

  it('skips the ratio when the baseline is too thin', () => {
    expect(judge(summarize(1000, 0, 0.9), { baseline: summarize(10, 0, 0.4) }).verdict).toBe('pass');
  });

  it('skips the ratio when the baseline has no latency or a zero one', () => {
    expect(judge(summarize(1000, 0, 0.9), { baseline: summarize(1000, 0, null) }).verdict).toBe('pass');
    expect(judge(summarize(1000, 0, 0.9), { baseline: summarize(1000, 0, 0) }).verdict).toBe('pass');
  });
});

describe('judgeStep reports every failure at once', () => {
  it('lists alarms first, then each metric rule broken', () => {
    const j = judge(summarize(1000, 100, 3), {
      baseline: summarize(1000, 0, 1),
      alarms: ['immutable-dev-green-5xx'],
    });
    expect(j.reasons).toEqual([
      'alarm immutable-dev-green-5xx is in ALARM',
      'canary 5xx ratio 0.1 > 0.05 (100/1000)',
      'canary 5xx ratio 0.1 exceeds baseline 0 by more than 0.02',
      'canary p99 3 s > 2 s',
      'canary p99 3 s > 2 × baseline 1 s',
    ]);
  });
});
