import { retryDelaySeconds } from '../../../rehearsal/run/task-handlers';

describe('retry backoff', () => {
  it('grows from the interval by the backoff rate, capped at MaxDelaySeconds', () => {
    const retrier = { ErrorEquals: ['X'], IntervalSeconds: 2, BackoffRate: 3, MaxDelaySeconds: 10 };
    expect([0, 1, 2, 3].map((attempt) => retryDelaySeconds(retrier, attempt))).toEqual([2, 6, 10, 10]);
  });

  it('starts at 1 s and doubles when the retrier leaves both out', () => {
    expect([0, 1, 2].map((attempt) => retryDelaySeconds({ ErrorEquals: ['X'] }, attempt))).toEqual([1, 2, 4]);
  });

  it('takes full jitter at its mean: half the interval', () => {
    const retrier = { ErrorEquals: ['X'], IntervalSeconds: 4, JitterStrategy: 'FULL' as const };
    expect(retryDelaySeconds(retrier, 1)).toBe(4);
  });
});
