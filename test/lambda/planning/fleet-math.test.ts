import fc from 'fast-check';
import {
  activeFreeze,
  ageInDays,
  canaryWeights,
  checkpointsCrossed,
  refreshBatchSizes,
  refreshBatches,
  refreshSeconds,
} from '../../../lambda/planning/fleet-math';
import type { FreezeWindow, RefreshSettings } from '../../../lambda/shared/settings';

const refresh = (o: Partial<RefreshSettings> = {}): RefreshSettings => ({
  minHealthyPercentage: 90,
  maxHealthyPercentage: 100,
  instanceWarmupSeconds: 60,
  checkpointPercentages: [],
  checkpointDelaySeconds: 0,
  bakeTimeSeconds: 0,
  ...o,
});

/**
 * Valid refresh preferences: min 0-100, max 100-200, and no more than 100 points apart.
 * @see https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RefreshPreferences.html
 */
const healthWindow = fc
  .integer({ min: 0, max: 100 })
  .chain((min) => fc.tuple(fc.constant(min), fc.integer({ min: 100, max: min + 100 })));

const sizes = (n: number, min: number, max: number, checkpointPercentages: number[] = []) =>
  refreshBatchSizes(n, { minHealthyPercentage: min, maxHealthyPercentage: max, checkpointPercentages });

describe('refreshBatchSizes', () => {
  it.each([
    // instances, min, max, first batch
    [10, 90, 100, 1], // the AWS default: 10 % of the group at a time
    [20, 90, 100, 2],
    [6, 90, 100, 1], // 90 % of 6 rounds up to all six: AWS still replaces one
    [4, 100, 100, 1], // min healthy 100 % limits replacement to one instance at a time
    [8, 50, 100, 4],
    [4, 50, 150, 4], // launch-before-terminate: the 100-point window replaces all four
    [10, 75, 125, 5], // min 8 (7.5 rounded up) and max 13 (12.5 rounded up): 3 launched + 2 taken down
    [10, 100, 200, 10],
    [10, 90, 110, 2],
    [3, 0, 100, 3],
  ])('replaces %i instances with min %i %% / max %i %% in batches of %i', (n, min, max, batch) => {
    expect(sizes(n, min, max)[0]).toBe(batch);
  });

  it('has no batch for an empty group', () => {
    expect(sizes(0, 90, 100)).toEqual([]);
  });

  it('never lets a batch cross a checkpoint, so the refresh pauses exactly on it', () => {
    // 10 instances in batches of 2, checkpoint at 50 %: 2 + 2 + 1 stops at 5, then the rest
    expect(sizes(10, 90, 110, [50, 100])).toEqual([2, 2, 1, 2, 2, 1]);
  });

  it('covers every instance exactly, in batches of one to the group size', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        healthWindow,
        fc
          .uniqueArray(fc.integer({ min: 1, max: 99 }), { maxLength: 3 })
          .map((c) => [...c.sort((a, b) => a - b), 100]),
        (n, [min, max], checkpoints) => {
          const s = sizes(n, min, max, checkpoints);
          return (
            s.reduce((a, b) => a + b, 0) === n && s.every((b) => Number.isInteger(b) && b >= 1 && b <= n)
          );
        },
      ),
    );
  });
});

describe('refreshBatches', () => {
  it.each([
    [10, 90, 100, 10],
    [6, 90, 100, 6],
    [4, 50, 150, 1],
    [10, 75, 125, 2],
    [9, 75, 125, 2], // min 7, max 12: batches of 5, so 5 + 4
    [0, 90, 100, 0],
  ])('takes %i instances with min %i %% / max %i %% in %i batches', (n, min, max, batches) => {
    expect(
      refreshBatches(n, { minHealthyPercentage: min, maxHealthyPercentage: max, checkpointPercentages: [] }),
    ).toBe(batches);
  });
});

describe('refreshSeconds', () => {
  it('is one boot plus warmup per batch', () => {
    // 10 instances at 90-100 %: 10 batches of (120 s boot + 60 s warmup)
    expect(refreshSeconds(10, 120, refresh())).toBe(1800);
  });

  it('adds each checkpoint pause below 100 % and the bake time', () => {
    const r = refresh({
      minHealthyPercentage: 90,
      maxHealthyPercentage: 110,
      instanceWarmupSeconds: 180,
      checkpointPercentages: [50, 100],
      checkpointDelaySeconds: 300,
      bakeTimeSeconds: 600,
    });
    // prod-like: 10 instances in batches of 2, the 50 % checkpoint splitting one batch:
    // 6 × (120 + 180) + one 300 s pause + 600 s bake
    expect(refreshSeconds(10, 120, r)).toBe(6 * 300 + 300 + 600);
  });

  it('is zero for an empty group, bake time included', () => {
    expect(refreshSeconds(0, 120, refresh({ bakeTimeSeconds: 600, checkpointPercentages: [50] }))).toBe(0);
  });

  it('counts checkpoints below 100 % only', () => {
    expect(checkpointsCrossed(4, refresh({ checkpointPercentages: [20, 50, 100] }))).toBe(2);
    expect(checkpointsCrossed(0, refresh({ checkpointPercentages: [20, 50] }))).toBe(0);
  });
});

describe('ageInDays', () => {
  it('measures fractional days', () => {
    expect(ageInDays(new Date('2026-03-01T00:00:00Z'), new Date('2026-03-08T12:00:00Z'))).toBe(7.5);
  });
});

describe('activeFreeze', () => {
  const windows: FreezeWindow[] = [
    { start: '2026-12-20T00:00:00Z', end: '2027-01-04T00:00:00Z', reason: 'year-end change freeze' },
    { start: '2026-06-01T08:00:00Z', end: '2026-06-01T18:00:00Z', reason: 'launch day' },
  ];

  it('finds the window that contains now', () => {
    expect(activeFreeze(windows, new Date('2026-12-25T12:00:00Z'))?.reason).toBe('year-end change freeze');
    expect(activeFreeze(windows, new Date('2026-06-01T12:00:00Z'))?.reason).toBe('launch day');
  });

  it('includes the start instant', () => {
    expect(activeFreeze(windows, new Date('2026-12-20T00:00:00Z'))?.reason).toBe('year-end change freeze');
  });

  it('excludes the end instant and everything after', () => {
    expect(activeFreeze(windows, new Date('2027-01-04T00:00:00Z'))).toBeUndefined();
    expect(activeFreeze(windows, new Date('2027-01-03T23:59:59.999Z'))?.reason).toBe(
      'year-end change freeze',
    );
  });

  it('is undefined before a window and with no windows', () => {
    expect(activeFreeze(windows, new Date('2026-12-19T23:59:59.999Z'))).toBeUndefined();
    expect(activeFreeze([], new Date('2026-12-25T12:00:00Z'))).toBeUndefined();
  });
});

describe('canaryWeights', () => {
  it.each([
    [5, 5, 95],
    [25, 25, 75],
    [100, 100, 0],
    [0, 0, 100],
    [12.4, 12, 88],
    [12.5, 13, 87],
    [150, 100, 0],
    [-10, 0, 100],
  ])('gives the canary %d %% as %i / %i', (step, canary, baseline) => {
    expect(canaryWeights(step)).toEqual({ canary, baseline });
  });

  it('always sums to 100 with integer weights within 0-100', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), (step) => {
        const { canary, baseline } = canaryWeights(step);
        return (
          canary + baseline === 100 &&
          Number.isInteger(canary) &&
          Number.isInteger(baseline) &&
          canary >= 0 &&
          canary <= 100
        );
      }),
    );
  });
});
