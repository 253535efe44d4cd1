import type { Fault } from '../../rehearsal/scenario';
import type { RehearsalSession } from '../../rehearsal/session';
import {
  canary,
  endSnapshot,
  enteredAt,
  expectKnownEndState,
  fleetChanges,
  fleetRecordOf,
  greenWeights,
  announcedReleases,
  ledgerOf,
  MISSING,
  NEW,
  openSession,
  parametersOf,
  PREVIOUS,
  REGRESSED,
  RELEASED,
  scenario,
  statesEntered,
} from './support';

let session: RehearsalSession;
beforeAll(() => {
  session = openSession();
});

const dev = () => session.rehearsal('dev');

describe('canary of a healthy image', () => {
  it('shifts traffic step by step, promotes, and serves only the new image at the end', async () => {
    const run = await dev().run(scenario({ input: canary(NEW, { reason: 'web 2.3.0' }) }));
    const r = run.result;
    expect(r).toMatchObject({
      status: 'SUCCEEDED',
      live: {
        image: NEW,
        weights: { blue: 0, green: 100 },
        trafficByImage: { [NEW]: 100 },
        instancesByImage: { [NEW]: 4 },
      },
      minHealthyFraction: 1,
    });
    expect(greenWeights(run)).toEqual([0, ...dev().settings.canary.steps]);
    expect(r.simulatedSeconds).toBeGreaterThanOrEqual(r.floorSeconds);
    expect(r).not.toHaveProperty('error');
    expectKnownEndState(run, dev());
  });

  it('keeps the old colour warm for the scale-down delay, then retires it', async () => {
    const run = await dev().run(scenario({ input: canary(NEW) }));
    const promoted = enteredAt(run, 'Promote Release');
    const retired = enteredAt(run, 'Retire Previous Colour');
    expect(retired - promoted).toBeGreaterThanOrEqual(dev().settings.scaleDownDelaySeconds);
    const atRetirement = run.timeline.find((e) => e.state === 'Retire Previous Colour')?.snapshot;
    expect(atRetirement?.instancesByImage).toEqual({ [RELEASED]: 4, [NEW]: 4 });
    expect(endSnapshot(run).groups.blue).toMatchObject({ desired: 0, inService: 0 });
    expect(statesEntered(run).at(-1)).toBe('Rollout Done After Retiring');
    expect(fleetRecordOf(run, dev().settings)).not.toHaveProperty('warm');
  });

  it('records the release: fleet record, runtime parameters, ledger, announcement, notification', async () => {
    const run = await dev().run(scenario({ input: canary(NEW) }));
    const settings = dev().settings;
    expect(fleetRecordOf(run, settings)).toMatchObject({
      liveColour: 'green',
      releasedImage: NEW,
      previousImage: RELEASED,
      versions: { blue: '1', green: '2' },
    });
    expect(parametersOf(run, settings)).toEqual({
      releasedImage: NEW,
      listenerWeights: '0,100',
      versions: { blue: '1', green: '2' },
    });
    expect(ledgerOf(run, settings)).toEqual([
      expect.objectContaining({ status: 'SUCCEEDED', action: 'canary', fromImage: RELEASED, toImage: NEW }),
    ]);
    // staging promotes from the announcement; the factory keeps both images a rollback needs
    expect(announcedReleases(run)).toEqual([
      expect.objectContaining({
        environment: 'dev',
        imageId: NEW,
        previousImage: RELEASED,
        action: 'canary',
      }),
    ]);
    expect(fleetRecordOf(run, settings)?.announcedAt).toBeDefined();
    expect(run.notifications.map((n) => n.subject)).toEqual(['[dev] canary SUCCEEDED']);
  });

  it('gets through throttled AWS calls and failed launches, only later', async () => {
    const clean = await dev().run(scenario({ input: canary(NEW) }));
    const run = await dev().run(
      scenario({
        input: canary(NEW),
        faults: [
          { atSecond: 0, kind: 'throttle', calls: 3 },
          { atSecond: 0, kind: 'launch-failure', count: 2 },
          { atSecond: 200, kind: 'throttle', calls: 2 },
        ],
      }),
    );
    expect(run.result).toMatchObject({ status: 'SUCCEEDED', live: { image: NEW } });
    expect(run.timeline.filter((e) => e.kind === 'retried')).toHaveLength(5);
    expect(enteredAt(run, 'Shift Traffic')).toBeGreaterThan(enteredAt(clean, 'Shift Traffic'));
    expectKnownEndState(run, dev());
  });
});

describe('canary of a first release into an empty fleet', () => {
  it('brings the new colour up at the configured capacity and sends it everything at once', async () => {
    const run = await dev().run(scenario({ fleet: { instances: 0 }, input: canary(NEW) }));
    expect(run.result).toMatchObject({
      status: 'SUCCEEDED',
      live: { image: NEW, instancesByImage: { [NEW]: dev().settings.capacity.desired } },
      instancesReplaced: 0,
    });
    expect(greenWeights(run)).toEqual([0, 100]);
    // nothing ran before: nothing to keep warm or retire
    expect(fleetRecordOf(run, dev().settings)).not.toHaveProperty('warm');
    expect(statesEntered(run)).not.toContain('Keep Previous Colour Warm');
    expectKnownEndState(run, dev());
  });
});

describe('canary of a regressed image', () => {
  it('fails the first step and puts all traffic back on the released image', async () => {
    const run = await dev().run(scenario({ input: canary(REGRESSED) }));
    expect(run.result).toMatchObject({
      status: 'FAILED',
      error: 'CanaryFailed',
      live: {
        image: RELEASED,
        weights: { blue: 100, green: 0 },
        trafficByImage: { [RELEASED]: 100 },
        instancesByImage: { [RELEASED]: 4 },
      },
    });
    expect(run.result.cause).toContain(`step 1/3 at 10 % on ${REGRESSED}`);
    expect(run.result.cause).toContain('canary 5xx ratio 0.2 > 0.05');
    // the regressed image never saw more than the first step's share
    expect(Math.max(...greenWeights(run))).toBe(10);
    expect(endSnapshot(run).groups.green).toMatchObject({ desired: 0, inService: 0 });
    expect(fleetChanges(run)).not.toHaveProperty('PutParameter');
    expect(announcedReleases(run)).toEqual([]);
    expect(ledgerOf(run, dev().settings)).toEqual([
      expect.objectContaining({ status: 'FAILED', error: 'CanaryFailed', toImage: REGRESSED }),
    ]);
    expect(run.notifications.map((n) => n.subject)).toEqual(['[dev] canary FAILED (CanaryFailed)']);
    expectKnownEndState(run, dev());
  });

  it('rolls back from the last, 100 % step as well', async () => {
    const run = await dev().run(
      scenario({ input: canary(NEW), faults: [{ atSecond: 500, kind: 'alarm', alarm: 'latency' }] }),
    );
    expect(run.result).toMatchObject({ status: 'FAILED', error: 'CanaryFailed', live: { image: RELEASED } });
    expect(run.result.cause).toContain('step 3/3 at 100 %');
    expect(greenWeights(run)).toEqual([0, 10, 50, 100, 0]);
    expectKnownEndState(run, dev());
  });

  it('is judged on the alarm state at the end of each step: one that cleared by then does not fail it', async () => {
    const clean = await dev().run(scenario({ input: canary(NEW) }));
    const during = enteredAt(clean, 'Bake Step') + 30;
    const brief = await dev().run(
      scenario({
        input: canary(NEW),
        faults: [{ atSecond: during, kind: 'alarm', alarm: '5xx', durationSeconds: 60 }],
      }),
    );
    expect(brief.result).toMatchObject({ status: 'SUCCEEDED', live: { image: NEW } });
    expect(brief.samples.some((s) => s.alarms['immutable-dev-green-5xx'] === 'ALARM')).toBe(true);
    const lasting = await dev().run(
      scenario({ input: canary(NEW), faults: [{ atSecond: during, kind: 'alarm', alarm: '5xx' }] }),
    );
    expect(lasting.result).toMatchObject({
      status: 'FAILED',
      error: 'CanaryFailed',
      live: { image: RELEASED },
    });
    expect(lasting.result.cause).toContain('alarm immutable-dev-green-5xx is in ALARM');
  });

  it('scales to zero a previous release kept warm that the failed canary took over', async () => {
    const staging = session.rehearsal('staging');
    const run = await staging.run(
      scenario({
        environment: 'staging',
        fleet: { instances: 4, ageDays: 2, previousImage: PREVIOUS, previousColourWarm: true },
        input: canary(REGRESSED),
      }),
    );
    expect(run.result).toMatchObject({ status: 'FAILED', error: 'CanaryFailed' });
    // still inside the warm period, but green no longer runs the warm release: nothing to keep
    const record = fleetRecordOf(run, staging.settings);
    expect(Date.parse(record?.warm?.until ?? '')).toBeGreaterThan(run.simulator.now().getTime());
    expect(endSnapshot(run).groups.green).toMatchObject({ desired: 0, inService: 0 });
    expect(run.result.live.instancesByImage).toEqual({ [RELEASED]: 4 });
    expectKnownEndState(run, staging);
  });
});

describe('canary of an image whose instances never become healthy', () => {
  it('fails CanaryUnhealthy at the deadline without ever shifting traffic', async () => {
    const run = await dev().run(
      scenario({ fleet: { instances: 3 }, images: { [NEW]: { healthy: false } }, input: canary(NEW) }),
    );
    expect(run.result).toMatchObject({
      status: 'FAILED',
      error: 'CanaryUnhealthy',
      live: { image: RELEASED, trafficByImage: { [RELEASED]: 100 }, instancesByImage: { [RELEASED]: 3 } },
    });
    expect(run.result.cause).toContain('0 of 3 canary instances in immutable-dev-green became healthy');
    expect(greenWeights(run)).toEqual([0]);
    expect(run.result.simulatedSeconds).toBeGreaterThanOrEqual(dev().settings.canary.healthyDeadlineSeconds);
    expectKnownEndState(run, dev());
  });
});

describe('canary of an image that cannot be rolled out', () => {
  it('fails ImageNotFound naming the image, before changing anything', async () => {
    const run = await dev().run(scenario({ input: canary(MISSING) }));
    expect(run.result).toMatchObject({ status: 'FAILED', error: 'ImageNotFound', floorSeconds: 0 });
    expect(run.result.cause).toBe(
      `${MISSING} does not exist in this account and region (InvalidAMIID.NotFound)`,
    );
    expect(fleetChanges(run)).toEqual({});
    expect(ledgerOf(run, dev().settings)).toEqual([
      expect.objectContaining({
        status: 'FAILED',
        action: 'canary',
        toImage: MISSING,
        error: 'ImageNotFound',
      }),
    ]);
    expectKnownEndState(run, dev());
  });

  it.each([
    ['staging', [], 'dev'],
    ['prod', ['dev'], 'staging'],
  ] as const)(
    'fails ImageNotPromoted in %s for an image released only in %j',
    async (environment, releasedIn, gate) => {
      const rehearsal = session.rehearsal(environment);
      const run = await rehearsal.run(
        scenario({ environment, images: { [NEW]: { releasedIn: [...releasedIn] } }, input: canary(NEW) }),
      );
      expect(run.result).toMatchObject({ status: 'FAILED', error: 'ImageNotPromoted', floorSeconds: 0 });
      expect(run.result.cause).toBe(
        `${NEW} has no successful release in ${gate}; ${environment} only accepts images released there first`,
      );
      expect(fleetChanges(run)).toEqual({});
      expectKnownEndState(run, rehearsal);
    },
  );

  it('lets an image through the gate once it was released where this environment promotes from', async () => {
    const staging = session.rehearsal('staging');
    const run = await staging.run(
      scenario({
        environment: 'staging',
        images: { [NEW]: { releasedIn: ['dev'] } },
        input: canary(NEW, { dryRun: true }),
      }),
    );
    expect(run.result.status).toBe('SUCCEEDED');
    expect(ledgerOf(run, staging.settings)).toEqual([expect.objectContaining({ status: 'DRY_RUN' })]);
  });

  it('skips an image that is already the released one', async () => {
    const run = await dev().run(scenario({ input: canary(RELEASED) }));
    expect(run.result).toMatchObject({ status: 'SUCCEEDED', floorSeconds: 0 });
    expect(fleetChanges(run)).toEqual({});
    expect(run.notifications[0]?.message).toContain(`${RELEASED} is already the released image`);
  });
});

describe('canary whose recovery steps fail too', () => {
  /** Throttle enough calls, just as the main execution enters `state`, to exhaust its retries. */
  async function throttledAt(state: string, calls: number, then: Fault[] = []) {
    const clean = await dev().run(scenario({ input: canary(NEW) }));
    return dev().run(
      scenario({
        input: canary(NEW),
        faults: [{ atSecond: enteredAt(clean, state) + 0.1, kind: 'throttle', calls }, ...then],
      }),
    );
  }

  it('returns traffic to the released image when promotion fails after its retries', async () => {
    const run = await throttledAt('Promote Release', 7);
    expect(run.result).toMatchObject({
      status: 'FAILED',
      error: 'ThrottlingException',
      live: { image: RELEASED, trafficByImage: { [RELEASED]: 100 } },
    });
    expect(statesEntered(run)).toContain('Return Traffic To Last Good Fleet');
    expectKnownEndState(run, dev());
  });

  it('says traffic was not restored when returning it failed as well', async () => {
    const run = await throttledAt('Promote Release', 14);
    // the record still names the released image; the last step before unlocking, once the burst
    // was over, put the traffic back on it
    expect(run.result.live.image).toBe(RELEASED);
    expect(statesEntered(run)).toContain('Put Idle Colour To Rest');
    expect(run.result.live.trafficByImage).toEqual({ [RELEASED]: 100 });
    expect(run.notifications.map((n) => n.subject)).toEqual([
      '[dev] canary FAILED (ThrottlingException), traffic NOT restored',
    ]);
    expect(run.notifications[0]?.message).toContain(
      // ELB's throttling error is "Throttling"; DynamoDB's, which failed the promotion, "ThrottlingException"
      `WARNING: returning traffic to the last good fleet failed too (Throttling: Rate exceeded), so traffic may still be on ${NEW}`,
    );
    expect(ledgerOf(run, dev().settings)[0]?.cause).toContain(
      'returning traffic to the last good fleet failed',
    );
    expect(run.simulator.item(dev().settings.table, { pk: 'fleet', sk: 'lock' })).toBeUndefined();
  });

  it('is put right by the next execution, a restore being enough', async () => {
    const failed = await throttledAt('Promote Release', 14);
    const run = await throttledAt('Promote Release', 14, [
      {
        atSecond: failed.result.simulatedSeconds + 60,
        kind: 'second-execution',
        input: { action: 'restore' },
      },
    ]);
    expect(run.result.secondExecution).toEqual({ status: 'SUCCEEDED' });
    expect(fleetChanges(run)).toMatchObject({ ModifyListener: expect.any(Number) as number });
    expectKnownEndState(run, dev());
  });

  it('fails the execution when its lock cannot be released, so the janitor releases it', async () => {
    const run = await throttledAt('Release Lock', 7);
    expect(run.result).toMatchObject({ status: 'FAILED', error: 'LockNotReleased', live: { image: NEW } });
    // the release itself stands, and was recorded and notified as such
    expect(ledgerOf(run, dev().settings)).toEqual([expect.objectContaining({ status: 'SUCCEEDED' })]);
    expect(run.notifications.map((n) => n.subject)).toEqual(['[dev] canary SUCCEEDED']);
    expect(run.simulator.item(dev().settings.table, { pk: 'fleet', sk: 'lock' })).toBeUndefined();
  });
});
