import fc from 'fast-check';
import { propertyRuns } from '../../support/properties';
import {
  clampWait,
  MAX_POLL_SECONDS,
  MIN_POLL_SECONDS,
  nextRefreshWait,
  REFRESH_STATUSES,
  refreshPreferences,
} from '../../../lambda/refresh/refresh';
import { settings } from '../fixtures';

describe('REFRESH_STATUSES', () => {
  /** @see https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_InstanceRefresh.html */
  const documented = [
    'Pending',
    'InProgress',
    'Baking',
    'Successful',
    'Failed',
    'Cancelling',
    'Cancelled',
    'RollbackInProgress',
    'RollbackSuccessful',
    'RollbackFailed',
  ];

  it('covers every documented status, and nothing else', () => {
    expect(Object.keys(REFRESH_STATUSES).sort()).toEqual([...documented].sort());
  });

  it('finishes only on Successful', () => {
    const done = Object.entries(REFRESH_STATUSES).filter(([, d]) => d === 'done');
    expect(done).toEqual([['Successful', 'done']]);
  });

  it('fails on every end state but Successful, rollbacks included', () => {
    expect(REFRESH_STATUSES).toMatchObject({
      Failed: 'fail',
      Cancelled: 'fail',
      RollbackSuccessful: 'fail',
      RollbackFailed: 'fail',
    });
  });

  it('keeps waiting while the refresh, its cancel or its rollback is still moving', () => {
    expect(REFRESH_STATUSES).toMatchObject({
      Pending: 'wait',
      InProgress: 'wait',
      Baking: 'wait',
      Cancelling: 'wait',
      RollbackInProgress: 'wait',
    });
  });
});

describe('refreshPreferences', () => {
  it('sets every preference explicitly, with rollback on the given alarms', () => {
    const r = { ...settings().refresh, checkpointPercentages: [50, 100], checkpointDelaySeconds: 300 };
    expect(refreshPreferences({ ...r, bakeTimeSeconds: 600 }, ['immutable-dev-blue-5xx'])).toEqual({
      MinHealthyPercentage: 50,
      MaxHealthyPercentage: 150,
      InstanceWarmup: 60,
      CheckpointPercentages: [50, 100],
      CheckpointDelay: 300,
      SkipMatching: false,
      AutoRollback: true,
      AlarmSpecification: { Alarms: ['immutable-dev-blue-5xx'] },
      BakeTime: 600,
      ScaleInProtectedInstances: 'Refresh',
      StandbyInstances: 'Terminate',
    });
  });

  it('leaves out checkpoints, alarms and bake time that are not configured', () => {
    const p = refreshPreferences(settings().refresh, []);
    expect(p).not.toHaveProperty('CheckpointPercentages');
    expect(p).not.toHaveProperty('CheckpointDelay');
    expect(p).not.toHaveProperty('AlarmSpecification');
    expect(p).not.toHaveProperty('BakeTime');
    expect(p).toMatchObject({ SkipMatching: false, AutoRollback: true });
  });
});

describe('nextRefreshWait', () => {
  const base = {
    status: 'InProgress',
    percentageComplete: 0,
    elapsedSeconds: 0,
    expectedSeconds: 1800,
    batchSeconds: 180,
    bakeSeconds: 0,
  };

  it('aims at the expected end before any progress shows', () => {
    expect(nextRefreshWait({ ...base, elapsedSeconds: 1500 })).toBe(300);
  });

  it('projects the end from the progress observed so far', () => {
    // half done after 200 s: about 200 s more, whatever was expected
    expect(nextRefreshWait({ ...base, percentageComplete: 50, elapsedSeconds: 200 })).toBe(200);
  });

  it('adds the bake time to a projected end', () => {
    expect(nextRefreshWait({ ...base, percentageComplete: 50, elapsedSeconds: 200, bakeSeconds: 120 })).toBe(
      320,
    );
  });

  it('never waits longer than 600 s, however far the end is', () => {
    expect(nextRefreshWait({ ...base, percentageComplete: 1, elapsedSeconds: 300 })).toBe(MAX_POLL_SECONDS);
    expect(MAX_POLL_SECONDS).toBe(600);
  });

  it('polls a quarter batch apart once the expected end has passed', () => {
    expect(nextRefreshWait({ ...base, elapsedSeconds: 2400 })).toBe(45);
  });

  it('polls at the 15 s floor while a finished refresh bakes', () => {
    expect(
      nextRefreshWait({ ...base, status: 'Baking', percentageComplete: 100, elapsedSeconds: 1799 }),
    ).toBe(MIN_POLL_SECONDS);
    expect(MIN_POLL_SECONDS).toBe(15);
  });

  it.each(['Cancelling', 'RollbackInProgress'])('polls half a batch apart while %s', (status) => {
    expect(nextRefreshWait({ ...base, status, percentageComplete: 40, elapsedSeconds: 100 })).toBe(90);
  });

  it('never goes below 15 s nor above 600 s, and is a whole number of seconds', () => {
    // elapsed may even be negative when the refresh's StartTime is ahead of the Lambda's clock
    const seconds = fc.double({ min: -600, max: 1e7, noNaN: true });
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(REFRESH_STATUSES)),
        // PercentageComplete is an integer 0-100 (API_InstanceRefresh)
        fc.integer({ min: 0, max: 100 }),
        seconds,
        seconds,
        fc.double({ min: 0, max: 3600, noNaN: true }),
        fc.double({ min: 0, max: 3600, noNaN: true }),
        (status, percentageComplete, elapsedSeconds, expectedSeconds, batchSeconds, bakeSeconds) => {
          const w = nextRefreshWait({
            status,
            percentageComplete,
            elapsedSeconds,
            expectedSeconds,
            batchSeconds,
            bakeSeconds,
          });
          return Number.isInteger(w) && w >= MIN_POLL_SECONDS && w <= MAX_POLL_SECONDS;
        },
      ),
      propertyRuns(1000),
    );
  });
});

describe('clampWait', () => {
  it.each([
    [0, 15],
    [-30, 15],
    [14.4, 15],
    [90.6, 91],
    [601, 600],
    [Infinity, 600],
  ])('clamps %d s to %d s', (input, output) => {
    expect(clampWait(input)).toBe(output);
  });
});
