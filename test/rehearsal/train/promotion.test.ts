import { BAKED, env, releasedAtSecond, RELEASED, rollouts, trains, trainScenario } from './support';

/**
 * The release train as deployed: the factory's bake reaches dev through the factory's rule and
 * announcement, each release reaches the next environment through its Image Released rule, and
 * each promotion soaks, asks and starts its canary as its state machine says.
 */
describe('a healthy image', () => {
  it('is released in dev, then staging after its soak, then prod after its soak and its approval', async () => {
    const run = await trains().run(trainScenario());
    for (const name of ['dev', 'staging', 'prod'] as const) {
      expect(env(run, name)).toMatchObject({
        status: 'SUCCEEDED',
        live: { image: BAKED, trafficByImage: { [BAKED]: 100 } },
      });
      expect(env(run, name).releasedAt).not.toBeNull();
    }
    // dev took the factory's image; staging and prod were promoted, each its own canary.
    expect(rollouts(run, 'dev').map((x) => x.input)).toEqual([
      expect.objectContaining({ action: 'canary', imageId: BAKED, trigger: 'image-factory' }),
    ]);
    expect(rollouts(run, 'staging').map((x) => x.input)).toEqual([
      expect.objectContaining({ imageId: BAKED, trigger: 'promotion' }),
    ]);
    expect(rollouts(run, 'prod').map((x) => x.input)).toEqual([
      expect.objectContaining({ imageId: BAKED, trigger: 'promotion' }),
    ]);
    // staging soaks 60 minutes after dev's release; prod 240 after staging's, then waits for alice.
    const [stagingCanary] = rollouts(run, 'staging');
    expect(stagingCanary?.startedAt).toBeGreaterThanOrEqual(releasedAtSecond(run, 'dev') + 3600);
    const [prodCanary] = rollouts(run, 'prod');
    expect(prodCanary?.startedAt).toBeGreaterThanOrEqual(86_400);
    expect(run.result.approvals).toEqual([expect.objectContaining({ environment: 'prod', accepted: true })]);
    expect(run.result.deadLetters).toEqual([]);
    expect(run.result.leadTimeSeconds).toBeGreaterThanOrEqual(run.result.floorSeconds);
  });

  it('asks prod for approval with the exact command, and tells each release what comes next', async () => {
    const run = await trains().run(trainScenario());
    const ask = run.notifications.prod?.find((m) => m.subject?.includes('approve'));
    expect(ask?.message).toContain(`npm run approve -- --env prod --image ${BAKED}`);
    const devRelease = run.notifications.dev?.find((m) => m.subject?.includes('SUCCEEDED'));
    expect(devRelease?.message).toMatch(/^Next: staging starts a canary of .* after a 60-minute soak, at /m);
  });

  it('waits for approval while nobody answers, and ends the promotion once the request times out', async () => {
    const waiting = await trains().run(trainScenario({ approvals: [], untilSecond: 86_400 }));
    expect(env(waiting, 'prod')).toMatchObject({ status: 'WAITING_FOR_APPROVAL', live: { image: RELEASED } });
    const late = await trains().run(
      trainScenario({
        approvals: [{ environment: 'prod', atSecond: 300_000, decision: 'approve' }],
        untilSecond: 400_000,
      }),
    );
    expect(env(late, 'prod')).toMatchObject({
      status: 'FAILED',
      error: 'States.Timeout',
      live: { image: RELEASED },
    });
    expect(late.result.approvals).toEqual([
      expect.objectContaining({
        accepted: false,
        message: expect.stringContaining('nothing was approved') as unknown,
      }),
    ]);
    expect(rollouts(late, 'prod')).toEqual([]);
  });
});

describe('a train that stops', () => {
  it('stops at staging when the image regresses there: staging returns to its release, prod never starts', async () => {
    const run = await trains().run(
      trainScenario({ images: { [BAKED]: { healthy: true, errorRateIn: { staging: 0.2 } } } }),
    );
    expect(env(run, 'dev')).toMatchObject({ status: 'SUCCEEDED', live: { image: BAKED } });
    expect(env(run, 'staging')).toMatchObject({
      status: 'FAILED',
      error: 'CanaryFailed',
      releasedAt: null,
      live: { image: RELEASED, trafficByImage: { [RELEASED]: 100 } },
    });
    expect(env(run, 'prod')).toMatchObject({
      status: 'NOT_STARTED',
      executions: 0,
      live: { image: RELEASED },
    });
  });

  it('leaves prod on its image when the approval is rejected, saying why', async () => {
    const run = await trains().run(
      trainScenario({
        approvals: [
          { environment: 'prod', atSecond: 86_400, decision: 'reject', by: 'bob', reason: 'change freeze' },
        ],
      }),
    );
    expect(env(run, 'prod')).toMatchObject({
      status: 'FAILED',
      error: 'ApprovalRejected',
      cause: expect.stringContaining('change freeze') as unknown,
      live: { image: RELEASED },
    });
    expect(rollouts(run, 'prod')).toEqual([]);
    expect(run.notifications.prod?.at(-1)?.subject).toContain('rejected');
  });

  it('starts nothing anywhere for an image with findings at the scan gate', async () => {
    const run = await trains().run(
      trainScenario({ bake: { imageId: BAKED, atSecond: 0, findings: { CRITICAL: 2 } } }),
    );
    for (const name of ['dev', 'staging', 'prod'] as const)
      expect(env(run, name)).toMatchObject({
        status: 'NOT_STARTED',
        executions: 0,
        live: { image: RELEASED },
      });
    expect(env(run, 'dev').reason).toContain('has 2 findings at or above CRITICAL; not rolled out');
  });

  it('starts nothing for an image whose scan never completed', async () => {
    const run = await trains().run(trainScenario({ bake: { imageId: BAKED, atSecond: 0, scanned: false } }));
    expect(env(run, 'dev')).toMatchObject({
      status: 'NOT_STARTED',
      reason: expect.stringContaining('was not scanned') as unknown,
    });
  });

  it('cancels staging’s promotion when dev rolls back during the soak, and says so', async () => {
    const run = await trains().run(
      trainScenario({
        faults: [{ kind: 'execution', environment: 'dev', atSecond: 2400, input: { action: 'rollback' } }],
      }),
    );
    expect(env(run, 'dev')).toMatchObject({ status: 'SUCCEEDED', live: { image: RELEASED } });
    expect(env(run, 'staging')).toMatchObject({
      status: 'FAILED',
      error: 'PromotionCancelled',
      live: { image: RELEASED },
    });
    expect(env(run, 'staging').cause).toContain(`dev no longer runs ${BAKED}`);
    expect(rollouts(run, 'staging')).toEqual([]);
    expect(env(run, 'prod')).toMatchObject({ status: 'NOT_STARTED' });
    expect(run.notifications.staging?.at(-1)?.subject).toContain('cancelled');
  });

  it('fails the promotion with ImageNotFound when the image is deregistered during the soak, changing nothing', async () => {
    const run = await trains().run(
      trainScenario({ faults: [{ kind: 'deregister', atSecond: 2400, imageId: BAKED }] }),
    );
    expect(env(run, 'staging')).toMatchObject({
      status: 'FAILED',
      error: 'ImageNotFound',
      live: { image: RELEASED },
    });
    expect(rollouts(run, 'staging')).toEqual([]);
    // dev's instances keep running the deregistered image, as EC2 leaves them.
    expect(env(run, 'dev').live.image).toBe(BAKED);
  });
});

describe('people and races', () => {
  it('refuses an approval given before the promotion asks for one, and accepts the one given after', async () => {
    const run = await trains().run(
      trainScenario({
        approvals: [
          { environment: 'prod', atSecond: 3600, decision: 'approve' },
          { environment: 'prod', atSecond: 86_400, decision: 'approve' },
        ],
      }),
    );
    expect(run.result.approvals.map((a) => a.accepted)).toEqual([false, true]);
    expect(run.result.approvals[0]?.message).toContain(
      'an approval is only accepted once the promotion asks for one, after its soak',
    );
    expect(env(run, 'prod')).toMatchObject({ status: 'SUCCEEDED', live: { image: BAKED } });
  });

  it('waits for a rollout holding staging’s fleet, then starts the promoted canary once it is free', async () => {
    const run = await trains().run(
      trainScenario({
        fleets: { dev: { instances: 2 }, staging: { instances: 3, ageDays: 30 }, prod: { instances: 4 } },
        // A phoenix rotation takes staging's lock shortly before the soak ends.
        faults: [
          {
            kind: 'execution',
            environment: 'staging',
            atSecond: 4000,
            input: { action: 'phoenix', force: true },
          },
        ],
      }),
    );
    const [phoenix, canary] = rollouts(run, 'staging');
    expect(phoenix?.input).toMatchObject({ action: 'phoenix' });
    expect(phoenix?.status).toBe('SUCCEEDED');
    expect(canary?.input).toMatchObject({ action: 'canary', trigger: 'promotion' });
    expect(canary?.startedAt).toBeGreaterThan(phoenix?.endedAt ?? Infinity);
    // The promotion found the fleet busy and waited, rather than failing.
    expect(run.timelines.staging?.some((e) => e.state === 'Wait For Fleet' && e.kind === 'entered')).toBe(
      true,
    );
    expect(env(run, 'staging')).toMatchObject({ status: 'SUCCEEDED', live: { image: BAKED } });
  });
});

describe('bad input', () => {
  it('sends a malformed Image Released to the dead-letter queues and starts nothing', async () => {
    const run = await trains().run(
      trainScenario({
        bake: undefined,
        approvals: [],
        faults: [
          {
            kind: 'event',
            atSecond: 10,
            source: 'immutable.rollout',
            detailType: 'Image Released',
            detail: { environment: 'dev', imageId: 'not-an-ami' },
          },
        ],
      }),
    );
    expect(run.executions).toEqual([]);
    expect(run.result.deadLetters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          handler: 'on-upstream-release',
          error: expect.stringContaining('MalformedEvent') as unknown,
        }),
        expect.objectContaining({
          handler: 'tag-lineage',
          error: expect.stringContaining('detail.imageId') as unknown,
        }),
      ]),
    );
    // Lambda tried each three times before giving up.
    expect(run.deliveries.filter((d) => d.handler === 'on-upstream-release')).toHaveLength(3);
  });
});
