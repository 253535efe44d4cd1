import type { RehearsalSession } from '../../rehearsal/session';
import {
  announcedReleases,
  canary,
  enteredAt,
  expectKnownEndState,
  fleetChanges,
  fleetRecordOf,
  greenWeights,
  ledgerOf,
  NEW,
  openSession,
  PREVIOUS,
  RELEASED,
  scenario,
  statesEntered,
} from './support';

let session: RehearsalSession;
beforeAll(() => {
  session = openSession();
});

const staging = () => session.rehearsal('staging');
const dev = () => session.rehearsal('dev');
const rollback = (fleet: Record<string, unknown>) =>
  scenario({
    environment: 'staging',
    fleet: { instances: 4, ageDays: 1, ...fleet },
    input: { action: 'rollback', reason: 'release 2.4 breaks checkout' },
  });

describe('rollback while the previous release is still warm', () => {
  it('flips all traffic back in one step, without launching anything', async () => {
    const run = await staging().run(rollback({ previousImage: PREVIOUS, previousColourWarm: true }));
    expect(run.result).toMatchObject({
      status: 'SUCCEEDED',
      live: { image: PREVIOUS, weights: { blue: 0, green: 100 }, trafficByImage: { [PREVIOUS]: 100 } },
    });
    expect(statesEntered(run)).toContain('Flip Traffic Back');
    expect(greenWeights(run)).toEqual([0, 100]);
    // traffic is back within seconds of the start
    expect(enteredAt(run, 'Promote Release')).toBeLessThan(5);
    expect(fleetChanges(run)).not.toHaveProperty('CreateLaunchTemplateVersion');
    expect(fleetRecordOf(run, staging().settings)).toMatchObject({
      liveColour: 'green',
      releasedImage: PREVIOUS,
    });
    expectKnownEndState(run, staging());
  });

  it('keeps the release it rolled back from warm in turn, then retires it', async () => {
    const run = await staging().run(rollback({ previousImage: PREVIOUS, previousColourWarm: true }));
    expect(
      enteredAt(run, 'Retire Previous Colour') - enteredAt(run, 'Promote Release'),
    ).toBeGreaterThanOrEqual(staging().settings.scaleDownDelaySeconds);
    expect(run.result.live.instancesByImage).toEqual({ [PREVIOUS]: 4 });
    expect(run.result.floorSeconds).toBe(staging().settings.scaleDownDelaySeconds);
  });
});

describe('a second rollback right after the first', () => {
  it('fails NothingToRollBack instead of sending traffic back to the release it fled', async () => {
    const run = await staging().run(
      scenario({
        environment: 'staging',
        fleet: { instances: 4, ageDays: 1, previousImage: PREVIOUS, previousColourWarm: true },
        input: { action: 'rollback' },
        faults: [{ atSecond: 30, kind: 'second-execution', input: { action: 'rollback' } }],
      }),
    );
    expect(run.result.secondExecution).toMatchObject({ status: 'FAILED', error: 'NothingToRollBack' });
    expect(run.result.live).toMatchObject({ image: PREVIOUS, trafficByImage: { [PREVIOUS]: 100 } });
    expect(fleetRecordOf(run, staging().settings)).not.toHaveProperty('previousImage');
    expectKnownEndState(run, staging());
  });
});

describe('rollback after the warm window', () => {
  it('brings the previous release back canary-style, through the rollback steps', async () => {
    const run = await staging().run(rollback({ previousImage: PREVIOUS }));
    expect(run.result).toMatchObject({
      status: 'SUCCEEDED',
      live: { image: PREVIOUS, trafficByImage: { [PREVIOUS]: 100 }, instancesByImage: { [PREVIOUS]: 4 } },
    });
    expect(statesEntered(run)).not.toContain('Flip Traffic Back');
    // staging rolls back in two steps: 50 % then 100 %
    expect(greenWeights(run)).toEqual([0, ...staging().settings.rollbackSteps]);
    expect(fleetChanges(run)).toMatchObject({ CreateLaunchTemplateVersion: 1 });
    expect(ledgerOf(run, staging().settings)).toEqual([
      expect.objectContaining({
        status: 'SUCCEEDED',
        action: 'rollback',
        fromImage: RELEASED,
        toImage: PREVIOUS,
      }),
    ]);
    expectKnownEndState(run, staging());
  });
});

describe('rollback of a real release', () => {
  /** A dev canary of NEW, then a rollback started `afterPromotion` seconds after its promotion. */
  async function canaryThenRollback(afterPromotion: number) {
    const released = await dev().run(scenario({ input: canary(NEW) }));
    return dev().run(
      scenario({
        input: canary(NEW),
        faults: [
          {
            atSecond: enteredAt(released, 'Promote Release') + afterPromotion,
            kind: 'second-execution',
            input: { action: 'rollback' },
          },
        ],
      }),
    );
  }

  it('flips back inside the scale-down delay, and the canary no longer retires the old colour', async () => {
    const run = await canaryThenRollback(60);
    expect(run.result.secondExecution).toEqual({ status: 'SUCCEEDED' });
    expect(statesEntered(run, 'second')).toContain('Flip Traffic Back');
    expect(run.result.live).toMatchObject({
      image: RELEASED,
      weights: { blue: 100, green: 0 },
      instancesByImage: { [RELEASED]: 4 },
    });
    expectKnownEndState(run, dev());
  });

  it('relaunches the previous release once the old colour was retired', async () => {
    const run = await canaryThenRollback(dev().settings.scaleDownDelaySeconds + 120);
    expect(run.result.secondExecution).toEqual({ status: 'SUCCEEDED' });
    expect(statesEntered(run, 'second')).toContain('Prepare Canary Colour');
    expect(run.result.live).toMatchObject({ image: RELEASED, instancesByImage: { [RELEASED]: 4 } });
    expectKnownEndState(run, dev());
  });
});

describe('rollback with nothing to return to', () => {
  it('fails NothingToRollBack and changes nothing', async () => {
    const run = await staging().run(rollback({}));
    expect(run.result).toMatchObject({
      status: 'FAILED',
      error: 'NothingToRollBack',
      cause: 'staging has no earlier release to return to',
      floorSeconds: 0,
      live: { image: RELEASED, trafficByImage: { [RELEASED]: 100 } },
    });
    expect(fleetChanges(run)).toEqual({});
    expect(ledgerOf(run, staging().settings)).toEqual([
      expect.objectContaining({ status: 'FAILED', action: 'rollback', error: 'NothingToRollBack' }),
    ]);
    expectKnownEndState(run, staging());
  });
});

describe('rollback to a public image this account does not own (the first release, seeded)', () => {
  /** The current Amazon Linux 2023 AMI the seed puts in place when given no image: Amazon's. */
  const AMAZON = '137112412989';

  it("is refused ImageNotTrusted and changes nothing: only the image factory's images run", async () => {
    const run = await dev().run(
      scenario({
        fleet: { instances: 4, ageDays: 1, previousImage: PREVIOUS },
        images: { [PREVIOUS]: { owner: AMAZON } },
        input: { action: 'rollback' },
      }),
    );
    expect(run.result).toMatchObject({
      status: 'FAILED',
      error: 'ImageNotTrusted',
      live: { image: RELEASED },
    });
    expect(run.result.cause).toContain(`is owned by ${AMAZON}`);
    expect(fleetChanges(run)).toEqual({});
    expect(announcedReleases(run)).toEqual([]);
    expectKnownEndState(run, dev());
  });
});
