import { CANARY_CHECK_SECONDS, judgeCanaryStep, shiftTraffic } from '../../../lambda/canary/steps';
import type { Colour } from '../../../lambda/shared/colours';
import { CanaryFailed } from '../../../lambda/shared/errors';
import type { WorkflowSettings } from '../../../lambda/shared/settings';
import type { CanaryPlan, CanaryProgress, FlipPlan } from '../../../lambda/shared/documents';
import { FakeCanaryMetrics } from '../fakes/canary-metrics';
import { FakeListener } from '../fakes/listener';
import {
  at,
  canaryPlan,
  canaryProgress,
  execution,
  flipPlan,
  NEW_AMI,
  NOW,
  OLD_AMI,
  settings,
} from '../fixtures';

const s = settings();
const target = (c: Colour) => ({
  targetGroup: s.targetGroupDimensions[c],
  loadBalancer: s.loadBalancerDimension,
});

let listener: FakeListener;
let metrics: FakeCanaryMetrics;

beforeEach(() => {
  listener = new FakeListener(s, { blue: 100, green: 0 });
  metrics = new FakeCanaryMetrics();
});

describe('shiftTraffic', () => {
  const shift = (plan: CanaryPlan, progress: CanaryProgress) =>
    shiftTraffic({ settings: s, execution: execution(), plan, progress }, { listener, now: NOW });
  // Flip Traffic Back sends no progress.
  const flip = (plan: FlipPlan) =>
    shiftTraffic({ settings: s, execution: execution(), plan }, { listener, now: NOW });

  it('puts the first step on the listener', async () => {
    await shift(canaryPlan(), canaryProgress({ step: 0, weight: 0, stepStartedAt: undefined }));
    expect(listener.changes).toEqual([{ blue: 90, green: 10 }]);
    expect(await listener.weights(s)).toEqual({ blue: 90, green: 10 });
  });

  it.each([
    [0, 10, 90, 10],
    [1, 50, 50, 50],
    [2, 100, 0, 100],
  ])('gives step %i its weight (%i %% on the canary)', async (step, weight, blue, green) => {
    const p = await shift(canaryPlan(), canaryProgress({ step }));
    expect(listener.changes).toEqual([{ blue, green }]);
    expect(p).toMatchObject({ step, weight, stepStartedAt: NOW.toISOString(), done: false });
  });

  it('shifts towards blue when blue is the canary colour', async () => {
    await shift(
      canaryPlan({ from: { colour: 'green', imageId: OLD_AMI }, to: { colour: 'blue', imageId: NEW_AMI } }),
      canaryProgress({ step: 0 }),
    );
    expect(listener.changes).toEqual([{ blue: 10, green: 90 }]);
  });

  it('keeps what the progress already holds', async () => {
    const judged = canaryProgress({ step: 1, version: '8', capacity: 4, healthy: 4 });
    expect(await shift(canaryPlan(), judged)).toEqual({
      ...judged,
      weight: 50,
      stepStartedAt: NOW.toISOString(),
      baking: true,
      waitSeconds: CANARY_CHECK_SECONDS,
    });
  });

  it('has the first look at a step come after CANARY_CHECK_SECONDS, or after its bake if that is shorter', async () => {
    expect((await shift(canaryPlan(), canaryProgress({ step: 0 }))).waitSeconds).toBe(30);
    const short = { ...s, canary: { ...s.canary, bakeSeconds: 12 } };
    const p = await shiftTraffic(
      { settings: short, execution: execution(), plan: canaryPlan(), progress: canaryProgress({ step: 0 }) },
      { listener, now: NOW },
    );
    expect(p).toMatchObject({ baking: true, waitSeconds: 12 });
  });

  it('flips all traffic to the warm colour in one step, and is done', async () => {
    const p = await flip(flipPlan());
    expect(listener.changes).toEqual([{ blue: 0, green: 100 }]);
    expect(p).toMatchObject({
      step: 0,
      weight: 100,
      done: true,
      baking: false,
      stepStartedAt: NOW.toISOString(),
      judgements: [],
    });
  });

  it('propagates a listener error', async () => {
    listener.failures.on('setWeights', Object.assign(new Error('gone'), { name: 'ListenerNotFound' }));
    await expect(flip(flipPlan())).rejects.toMatchObject({ name: 'ListenerNotFound' });
  });
});

/**
 * A colour's requests, 5xx and p99 (left out: no data) per minute, newest first: the first
 * minute is the one that ended at NOW.
 */
function served(colour: Colour, minutes: Array<[number, number, number?]>) {
  minutes.forEach(([requests, errors5xx, p99LatencySeconds], k) =>
    metrics.record(target(colour), at(-60 * (k + 1)), {
      requests,
      errors5xx,
      ...(p99LatencySeconds === undefined ? {} : { p99LatencySeconds }),
    }),
  );
}

const judge = (
  progress: CanaryProgress = canaryProgress({ step: 1, weight: 50 }),
  o: { s?: WorkflowSettings; plan?: CanaryPlan } = {},
) =>
  judgeCanaryStep(
    { settings: o.s ?? s, execution: execution(), plan: o.plan ?? canaryPlan(), progress },
    { metrics, now: NOW },
  );

/** The settings with a bake of `seconds`. */
const bakedIn = (seconds: number): WorkflowSettings => ({
  ...s,
  canary: { ...s.canary, bakeSeconds: seconds },
});

describe('judgeCanaryStep measures the step', () => {
  const healthy = () => {
    served('green', [
      [300, 0, 0.41],
      [320, 1, 0.45],
      [310, 0, 0.43],
    ]);
    served('blue', [
      [300, 1, 0.4],
      [310, 0, 0.42],
      [300, 0, 0.44],
    ]);
  };

  it("reads both colours' target groups together, the canary's first", async () => {
    healthy();
    await judge();
    expect(metrics.reads.map((r) => r.targets)).toEqual([[target('green'), target('blue')]]);
  });

  it('measures whole minutes inside the step, leaving out the partial minute before the shift', async () => {
    healthy();
    // the minute the shift happened in still carried the old weights: its errors do not count
    metrics.record(target('green'), new Date('2026-03-02T09:57:00.000Z'), { requests: 100, errors5xx: 100 });
    const p = await judge(
      canaryProgress({ step: 1, weight: 50, stepStartedAt: '2026-03-02T09:57:20.000Z' }),
      {
        s: bakedIn(160),
      },
    );
    expect(metrics.reads).toMatchObject([
      { start: new Date('2026-03-02T09:58:00.000Z'), end: new Date('2026-03-02T10:00:00.000Z') },
    ]);
    expect(p.judgements[0]?.canary).toMatchObject({ requests: 620, errors5xx: 1 });
  });

  it('widens to the enclosing minutes when the step is shorter than a whole minute', async () => {
    healthy();
    await judge(canaryProgress({ step: 1, weight: 50, stepStartedAt: '2026-03-02T09:59:40.000Z' }), {
      s: bakedIn(20),
    });
    expect(metrics.reads).toMatchObject([
      { start: new Date('2026-03-02T09:59:00.000Z'), end: new Date('2026-03-02T10:00:00.000Z') },
    ]);
  });

  it("asks for the canary colour's alarms", async () => {
    healthy();
    await judge();
    expect(metrics.alarmReads).toEqual([s.alarms.green]);
  });

  it('asks about no alarm when the colour has none', async () => {
    healthy();
    const p = await judge(canaryProgress(), { s: { ...s, alarms: { blue: [], green: [] } } });
    expect(metrics.alarmReads).toEqual([[]]);
    expect(p.judgements[0]?.verdict).toBe('pass');
  });
});

describe('judgeCanaryStep decides', () => {
  it('passes a healthy step and moves to the next one, keeping the judgement with its numbers', async () => {
    served('green', [
      [100, 1, 0.3],
      [100, 0, 0.5],
    ]);
    served('blue', [
      [900, 9, 0.4],
      [900, 9, 0.4],
    ]);
    const p = await judge(canaryProgress({ step: 0, weight: 10, stepStartedAt: at(-180).toISOString() }));
    expect(p).toMatchObject({ step: 1, done: false, weight: 10 });
    expect(p.judgements).toEqual([
      {
        weight: 10,
        verdict: 'pass',
        reasons: [],
        canary: { requests: 200, errors5xx: 1, errorRatio: 0.005, p99LatencySeconds: 0.5 },
        baseline: { requests: 1800, errors5xx: 18, errorRatio: 0.01, p99LatencySeconds: 0.4 },
        alarmsInAlarm: [],
      },
    ]);
  });

  it('is done after the last step passes', async () => {
    served('green', [[1000, 0, 0.3]]);
    const p = await judge(canaryProgress({ step: 2, weight: 100 }));
    expect(p).toMatchObject({ step: 3, done: true });
  });

  it('judges a step with no data points as thin traffic', async () => {
    const p = await judge(canaryProgress({ step: 0, weight: 10 }));
    expect(p.judgements[0]).toMatchObject({
      verdict: 'pass',
      canary: { requests: 0, errors5xx: 0, errorRatio: 0, p99LatencySeconds: null },
      reasons: ['thin traffic: 0 canary requests < 50, judged on alarms only'],
    });
  });

  it('fails with CanaryFailed naming the step, the image, the reasons and the numbers', async () => {
    served('green', [
      [500, 40, 0.5],
      [500, 40, 0.6],
    ]);
    served('blue', [
      [500, 5, 0.5],
      [500, 5, 0.5],
    ]);
    const error = await judge(canaryProgress({ step: 1, weight: 50 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CanaryFailed);
    expect((error as Error).message).toBe(
      `step 2/3 at 50 % on ${NEW_AMI}: canary 5xx ratio 0.08 > 0.05 (80/1000); ` +
        'canary 5xx ratio 0.08 exceeds baseline 0.01 by more than 0.02 ' +
        '(canary 1000 requests, 80 5xx (8.00 %), p99 0.600 s; baseline 1000 requests, 10 5xx (1.00 %), p99 0.500 s)',
    );
  });

  it("fails when any of the canary colour's alarms is in ALARM, naming each", async () => {
    const green = ['immutable-dev-green-5xx', 'immutable-dev-green-latency', 'immutable-dev-green-health'];
    metrics.alarms.set('immutable-dev-green-5xx', 'OK');
    metrics.alarms.set('immutable-dev-green-latency', 'ALARM');
    metrics.alarms.set('immutable-dev-green-health', 'ALARM');
    served('green', [[1000, 0, 0.3]]);
    served('blue', [[1000, 0, 0.3]]);
    await expect(
      judge(canaryProgress({ step: 0, weight: 10 }), { s: { ...s, alarms: { ...s.alarms, green } } }),
    ).rejects.toThrow(
      /^step 1\/3 at 10 % on ami-0bbbbbbbbbbbbbbbb: alarm immutable-dev-green-latency is in ALARM; alarm immutable-dev-green-health is in ALARM /,
    );
  });

  it('does not count an alarm with INSUFFICIENT_DATA', async () => {
    metrics.alarms.set('immutable-dev-green-5xx', 'INSUFFICIENT_DATA');
    served('green', [[1000, 0, 0.3]]);
    served('blue', [[1000, 0, 0.3]]);
    await expect(judge(canaryProgress({ step: 0, weight: 10 }))).resolves.toMatchObject({ step: 1 });
  });

  it('takes the worst minute as the step p99', async () => {
    served('green', [
      [300, 0, 0.3],
      [400, 0, 2.4],
      [300, 0, 0.2],
    ]);
    served('blue', [
      [500, 0, 0.3],
      [500, 0],
    ]);
    await expect(judge(canaryProgress({ step: 0, weight: 10 }))).rejects.toThrow('canary p99 2.4 s > 2 s');
  });
});

describe('judgeCanaryStep while the step bakes', () => {
  // the fixtures' bake is 180 s; this step shifted 60 s ago
  const early = () => canaryProgress({ step: 1, weight: 50, stepStartedAt: at(-60).toISOString() });

  it('keeps a passing step baking, with no judgement kept, and says when to look again', async () => {
    served('green', [[1000, 0, 0.3]]);
    served('blue', [[1000, 0, 0.3]]);
    const p = await judge(early());
    expect(p).toEqual({ ...early(), baking: true, waitSeconds: CANARY_CHECK_SECONDS });
  });

  it('waits only what is left of the bake before the last look', async () => {
    served('green', [[1000, 0, 0.3]]);
    const p = await judge(canaryProgress({ step: 1, weight: 50, stepStartedAt: at(-168.5).toISOString() }));
    expect(p).toMatchObject({ step: 1, baking: true, waitSeconds: 12 });
  });

  it('moves on once less than a second of the bake is left', async () => {
    served('green', [[1000, 0, 0.3]]);
    const p = await judge(canaryProgress({ step: 1, weight: 50, stepStartedAt: at(-179.5).toISOString() }));
    expect(p).toMatchObject({ step: 2, baking: false, waitSeconds: 0 });
    expect(p.judgements).toHaveLength(1);
  });

  it('fails the step at once when an alarm goes off mid-bake, saying how far it had baked', async () => {
    metrics.alarms.set('immutable-dev-green-latency', 'ALARM');
    served('green', [[1000, 0, 0.3]]);
    const green = ['immutable-dev-green-latency'];
    await expect(judge(early(), { s: { ...s, alarms: { ...s.alarms, green } } })).rejects.toThrow(
      /^step 2\/3 at 50 % on ami-0bbbbbbbbbbbbbbbb after 60 s of its 180 s bake: alarm immutable-dev-green-latency is in ALARM /,
    );
  });

  it('fails the step at once when its metrics so far are bad', async () => {
    served('green', [[1000, 0, 2.5]]);
    await expect(judge(early())).rejects.toThrow('after 60 s of its 180 s bake: canary p99 2.5 s > 2 s');
  });
});
