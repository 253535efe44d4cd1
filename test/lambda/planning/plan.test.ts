import { planRollout } from '../../../lambda/planning/plan';
import type { PlanEvent } from '../../../lambda/planning/plan';
import {
  FleetNotReady,
  ImageNotFound,
  ImageNotPromoted,
  ImageNotScanned,
  ImageNotTrusted,
  NothingToRollBack,
} from '../../../lambda/shared/errors';
import type { WorkflowSettings } from '../../../lambda/shared/settings';
import type { RolloutRequest } from '../../../lambda/shared/documents';
import { awsError } from '../aws-errors';
import { FakeFleetGroups } from '../fakes/fleet-groups';
import type { GroupSpec } from '../fakes/fleet-groups';
import { FakePromotionStore } from '../fakes/promotion-store';
import { FakeImages } from '../fakes/images';
import type { FakeImage } from '../fakes/images';
import { FakeInstances } from '../fakes/instances';
import { imageAvailable } from '../triggers/events';
import type { ScanFindings } from '../../../lambda/shared/events';
import {
  ACCOUNT,
  at,
  execution,
  fleet,
  instances,
  NEW_AMI,
  NOW,
  OLD_AMI,
  OLDER_AMI,
  request,
  settings,
} from '../fixtures';

const DAY = 86_400;

let groups: FakeFleetGroups;
let ec2Instances: FakeInstances;
let images: FakeImages;
let upstream: FakePromotionStore;

beforeEach(() => {
  upstream = new FakePromotionStore();
  groups = new FakeFleetGroups();
  ec2Instances = new FakeInstances();
  images = new FakeImages();
});

/** The two colour groups, as the test says. */
function fleetOf(blue: GroupSpec, green: GroupSpec = {}) {
  groups.put('immutable-dev-blue', blue).put('immutable-dev-green', green);
}

/** Each instance launched `ageOf(id)` days ago, or with no launch time EC2 reports. */
function launchedDaysAgo(ageOf: (id: string) => number | undefined) {
  for (const name of ['immutable-dev-blue', 'immutable-dev-green']) {
    for (const i of groups.view(name)?.instances ?? []) {
      const age = ageOf(i.id);
      if (age !== undefined) ec2Instances.launched.set(i.id, at(-age * DAY));
    }
  }
}

/**
 * An available image, untagged unless the test says, that the image factory announced here
 * with a clean scan (unless `fromFactory` is false, or `findings` says otherwise).
 */
function image(
  o: Partial<FakeImage> & { id?: string; fromFactory?: boolean; findings?: Partial<ScanFindings> } = {},
) {
  const { id = NEW_AMI, fromFactory = true, findings, ...rest } = o;
  images.put(id, rest);
  if (!fromFactory) return;
  const detail = imageAvailable().detail;
  upstream.factoryImages.set(id, {
    ...detail,
    findings: { ...detail.findings, ...findings },
    imageId: id,
    announcedAt: at(-7200).toISOString(),
  });
}

const plan = (
  r: Partial<RolloutRequest> = {},
  o: { s?: Partial<WorkflowSettings>; f?: PlanEvent['fleet'] } = {},
) =>
  planRollout(
    { settings: settings(o.s), execution: execution(), request: request(r), fleet: o.f ?? fleet() },
    { groups, instances: ec2Instances, images, upstream, now: NOW },
  );

describe('planRollout reads the fleet', () => {
  it('describes both colour groups in one read', async () => {
    fleetOf({ instances: instances(4) });
    launchedDaysAgo(() => 1);
    await plan();
    expect(groups.reads).toEqual([{ blue: 'immutable-dev-blue', green: 'immutable-dev-green' }]);
  });

  it('fails with FleetNotReady when a colour group does not exist', async () => {
    groups.put('immutable-dev-blue');
    await expect(plan()).rejects.toThrow(
      new FleetNotReady(
        'Auto Scaling group immutable-dev-green (green) does not exist; deploy the stack first',
      ),
    );
  });
});

describe('planRollout for a phoenix rotation', () => {
  beforeEach(() => image({ id: OLD_AMI }));

  it('skips when every instance is younger than the maximum age, saying how old the oldest is', async () => {
    fleetOf({ instances: instances(4) });
    launchedDaysAgo((id) => (id.endsWith('1') ? 2.04 : 1));
    expect(await plan()).toEqual({
      kind: 'skip',
      reason: 'all 4 instances are younger than 7 days (oldest 2.0 days); use force to rotate anyway',
      summary: 'skip: all 4 instances are younger than 7 days (oldest 2.0 days); use force to rotate anyway',
      estimatedSeconds: 0,
    });
  });

  it('plans a refresh of the live group on the released image once an instance is old enough', async () => {
    fleetOf({ instances: instances(4) });
    launchedDaysAgo((id) => (id.endsWith('2') ? 9.46 : 3));
    expect(await plan()).toEqual({
      kind: 'refresh',
      colour: 'blue',
      group: 'immutable-dev-blue',
      imageId: OLD_AMI,
      instances: 4,
      oldestAgeDays: 9.5,
      batches: 1,
      estimatedSeconds: 180,
      summary:
        `replace 4 instances of immutable-dev-blue on ${OLD_AMI} in 1 batches ` +
        '(min healthy 50 %, warmup 60 s), about 3 min',
    });
  });

  it('rotates at exactly the maximum age', async () => {
    fleetOf({ instances: instances(2) });
    launchedDaysAgo(() => 7);
    expect((await plan()).kind).toBe('refresh');
  });

  it('rotates young instances when forced', async () => {
    fleetOf({ instances: instances(4) });
    launchedDaysAgo(() => 0.5);
    expect(await plan({ force: true })).toMatchObject({ kind: 'refresh', oldestAgeDays: 0.5 });
  });

  it('rotates the green group when green is live', async () => {
    fleetOf({}, { instances: instances(3) });
    launchedDaysAgo(() => 30);
    expect(await plan({}, { f: fleet({ liveColour: 'green' }) })).toMatchObject({
      colour: 'green',
      group: 'immutable-dev-green',
      instances: 3,
    });
  });

  it('skips an empty live group without asking EC2 anything', async () => {
    fleetOf({ instances: [] });
    expect(await plan({ force: true })).toMatchObject({
      kind: 'skip',
      reason: 'the live group immutable-dev-blue has no instances to rotate',
    });
    expect(ec2Instances.reads).toHaveLength(0);
  });

  it('counts only InService instances', async () => {
    fleetOf({
      instances: [
        ...instances(2),
        ...instances(1, 10, { lifecycle: 'Pending' }),
        ...instances(1, 20, { lifecycle: 'Terminating' }),
      ],
    });
    launchedDaysAgo((id) => (id.endsWith('1') || id.endsWith('2') ? 10 : 100));
    expect(await plan()).toMatchObject({ instances: 2, oldestAgeDays: 10 });
    expect(ec2Instances.reads).toEqual([['i-00000000000000001', 'i-00000000000000002']]);
  });

  it('treats an instance EC2 reports without a launch time as new', async () => {
    fleetOf({ instances: instances(2) });
    launchedDaysAgo((id) => (id.endsWith('1') ? undefined : 3));
    expect(await plan()).toMatchObject({ kind: 'skip', reason: expect.stringContaining('oldest 3.0 days') });
  });

  it('ages every instance of a large live group', async () => {
    fleetOf({ instances: instances(450) });
    launchedDaysAgo((id) => (id === instances(1, 450)[0]?.id ? 10 : 1));
    expect(await plan()).toMatchObject({ kind: 'refresh', instances: 450, oldestAgeDays: 10 });
    expect(ec2Instances.reads.flat()).toHaveLength(450);
  });

  it('estimates a prod-like refresh with checkpoints and bake time', async () => {
    fleetOf({ instances: instances(10) });
    launchedDaysAgo(() => 20);
    const prodRefresh = {
      minHealthyPercentage: 90,
      maxHealthyPercentage: 110,
      instanceWarmupSeconds: 180,
      checkpointPercentages: [50, 100],
      checkpointDelaySeconds: 300,
      bakeTimeSeconds: 600,
    };
    expect(await plan({}, { s: { refresh: prodRefresh } })).toMatchObject({
      // batches of 2, the 50 % checkpoint splitting one: 6 × (120 + 180) + 300 pause + 600 bake
      batches: 6,
      estimatedSeconds: 2700,
      summary: expect.stringContaining('in 6 batches (min healthy 90 %, warmup 180 s), about 45 min'),
    });
  });
});

describe('planRollout for a canary', () => {
  const canary = (o: { s?: Partial<WorkflowSettings>; f?: PlanEvent['fleet'] } = {}) =>
    plan({ action: 'canary', imageId: NEW_AMI }, o);

  it('looks the image up by id', async () => {
    fleetOf({ instances: instances(4) });
    image();
    await canary();
    expect(images.described).toEqual([NEW_AMI]);
  });

  it('plans the canary on the idle colour at the live capacity, with the configured steps', async () => {
    fleetOf({ desired: 4, instances: instances(4) });
    image();
    expect(await canary()).toEqual({
      kind: 'canary',
      from: { colour: 'blue', imageId: OLD_AMI },
      to: { colour: 'green', imageId: NEW_AMI },
      capacity: 4,
      steps: [10, 50, 100],
      initial: false,
      estimatedSeconds: 120 + 3 * 180,
      summary: `canary ${NEW_AMI} on green with 4 instances, traffic 10 → 50 → 100 %, 180 s per step, about 11 min`,
    });
  });

  it('brings the new colour up at the configured capacity and sends it everything on a first release', async () => {
    fleetOf({ desired: 0, instances: [] });
    image();
    expect(await canary()).toMatchObject({
      kind: 'canary',
      initial: true,
      capacity: 4,
      steps: [100],
      estimatedSeconds: 120 + 180,
      summary: `first release: bring 4 instances of ${NEW_AMI} up on green and send it all traffic`,
    });
  });

  it('skips an image that is already released and serving', async () => {
    fleetOf({ instances: instances(4) });
    image({ id: OLD_AMI });
    expect(await plan({ action: 'canary', imageId: OLD_AMI })).toMatchObject({
      kind: 'skip',
      reason: `${OLD_AMI} is already the released image, serving on immutable-dev-blue`,
    });
  });

  it('re-releases the recorded image when nothing serves it any more', async () => {
    fleetOf({ desired: 0, instances: [] });
    image({ id: OLD_AMI });
    expect(await plan({ action: 'canary', imageId: OLD_AMI })).toMatchObject({
      kind: 'canary',
      initial: true,
    });
  });

  it.each(['InvalidAMIID.NotFound', 'InvalidAMIID.Malformed', 'InvalidAMIID.Unavailable'])(
    'fails with ImageNotFound when EC2 answers %s',
    async (code) => {
      fleetOf({ instances: instances(4) });
      images.refused.set(NEW_AMI, code);
      await expect(canary()).rejects.toThrow(
        new ImageNotFound(`${NEW_AMI} does not exist in this account and region (${code})`),
      );
    },
  );

  it('fails with ImageNotFound when the image is not listed', async () => {
    fleetOf({ instances: instances(4) });
    await expect(canary()).rejects.toThrow(
      new ImageNotFound(`${NEW_AMI} does not exist in this account and region`),
    );
  });

  it.each(['pending', 'failed', 'deregistered', 'disabled'])(
    'fails with ImageNotFound when the image is %s',
    async (state) => {
      fleetOf({ instances: instances(4) });
      image({ state });
      await expect(canary()).rejects.toThrow(new ImageNotFound(`${NEW_AMI} is ${state}, not available`));
    },
  );

  it('propagates other EC2 errors unchanged', async () => {
    fleetOf({ instances: instances(4) });
    images.failures.on('describe', awsError('RequestLimitExceeded'));
    await expect(canary()).rejects.toMatchObject({ name: 'RequestLimitExceeded' });
  });
});

describe('planRollout runs only images this environment trusts', () => {
  const canary = () => plan({ action: 'canary', imageId: NEW_AMI });
  beforeEach(() => fleetOf({ desired: 4, instances: instances(4) }));

  it.each([
    ['a public image of another account', '137112412989'],
    ['an image shared by another account', '999988887777'],
  ])('refuses %s with ImageNotTrusted, naming the owner and the trusted accounts', async (_, owner) => {
    image({ owner });
    await expect(canary()).rejects.toThrow(
      new ImageNotTrusted(
        `${NEW_AMI} is owned by ${owner}; dev runs only images owned by ${ACCOUNT} ` +
          "(the image factory's account, and any listed in images.trustedOwners)",
      ),
    );
  });

  it('runs an image of an allowed owner, when the factory announced it', async () => {
    image({ owner: '999988887777' });
    const s = { images: { owners: [ACCOUNT, '999988887777'], failOnSeverity: 'HIGH' as const } };
    expect(await plan({ action: 'canary', imageId: NEW_AMI }, { s })).toMatchObject({ kind: 'canary' });
  });

  it('refuses an own image the image factory did not announce, whatever its tags say', async () => {
    image({
      fromFactory: false,
      tags: { 'immutable:pipeline': 'immutable-web', 'immutable:released-dev': 'x' },
    });
    await expect(canary()).rejects.toThrow(
      new ImageNotTrusted(
        `${NEW_AMI} was not announced by the image factory; dev runs only images the factory's pipeline built`,
      ),
    );
  });

  it('refuses an image whose scan never completed with ImageNotScanned', async () => {
    image({ findings: { scanned: false } });
    await expect(canary()).rejects.toThrow(ImageNotScanned);
    await expect(canary()).rejects.toThrow(/was not scanned \(no completed vulnerability scan\)/);
  });

  it("applies this environment's threshold, not the one the image was baked under", async () => {
    image({ findings: { high: 2 } });
    await expect(canary()).rejects.toThrow(
      new ImageNotScanned(
        `${NEW_AMI} (${imageAvailable().detail.imageArn}) has 2 findings at or above HIGH, which dev refuses (images.failOnSeverity)`,
      ),
    );
    const lenient = { images: { owners: [ACCOUNT], failOnSeverity: 'CRITICAL' as const } };
    expect(await plan({ action: 'canary', imageId: NEW_AMI }, { s: lenient })).toMatchObject({
      kind: 'canary',
    });
  });

  it('re-checks the released image before a phoenix rotation launches it again', async () => {
    image({ id: OLD_AMI, findings: { critical: 1 } });
    launchedDaysAgo(() => 30);
    await expect(plan()).rejects.toThrow(ImageNotScanned);
  });

  it('re-checks the previous image before a rollback, warm or not', async () => {
    image({ id: OLDER_AMI, owner: '999988887777' });
    const warm = { colour: 'green' as const, image: OLDER_AMI, until: at(600).toISOString() };
    groups.put('immutable-dev-green', {
      desired: 4,
      version: '6',
      instances: instances(4, 10, { version: '6' }),
    });
    await expect(plan({ action: 'rollback' }, { f: fleet({ warm }) })).rejects.toThrow(ImageNotTrusted);
    await expect(plan({ action: 'rollback' })).rejects.toThrow(ImageNotTrusted);
  });
});

describe('planRollout gates promotion between environments', () => {
  const staging = { environment: 'staging', promoteFrom: 'dev' } as const;

  const releasedIn = (environment: 'dev' | 'staging', imageId = NEW_AMI) =>
    upstream.recordUpstreamRelease({
      environment,
      imageId,
      action: 'canary',
      releasedAt: at(-3600).toISOString(),
      execution: 'x',
    });

  it('fails with ImageNotPromoted when the image was never released in the previous environment', async () => {
    fleetOf({ instances: instances(4) });
    image();
    // released elsewhere (and tagged so), never in dev: tags are not the record
    await releasedIn('staging');
    image({ tags: { 'immutable:released-dev': '2026-01-01T00:00:00Z' } });
    await expect(plan({ action: 'canary', imageId: NEW_AMI }, { s: staging })).rejects.toThrow(
      new ImageNotPromoted(
        `${NEW_AMI} has no successful release in dev; staging only accepts images released there first`,
      ),
    );
  });

  it('accepts an image the previous environment announced it released', async () => {
    fleetOf({ instances: instances(4) });
    image();
    await releasedIn('dev');
    expect(await plan({ action: 'canary', imageId: NEW_AMI }, { s: staging })).toMatchObject({
      kind: 'canary',
    });
  });

  it('does not gate an environment without promoteFrom', async () => {
    fleetOf({ instances: instances(4) });
    image({ tags: {} });
    expect((await plan({ action: 'canary', imageId: NEW_AMI })).kind).toBe('canary');
  });
});

describe('planRollout for a rollback', () => {
  const warm = { colour: 'green' as const, image: OLDER_AMI, until: at(120).toISOString() };

  // fleet(): green was released on launch-template version 6 and still runs it
  const warmGreen = { desired: 4, version: '6', instances: instances(4, 10, { version: '6' }) };

  it('flips the traffic back while the previous colour is still warm and at capacity', async () => {
    image({ id: OLDER_AMI });
    fleetOf({ desired: 4, instances: instances(4) }, warmGreen);
    expect(await plan({ action: 'rollback' }, { f: fleet({ warm }) })).toEqual({
      kind: 'flip',
      from: { colour: 'blue', imageId: OLD_AMI },
      to: { colour: 'green', imageId: OLDER_AMI },
      // what the flip checks before it moves any traffic: green's instances on its version, healthy now
      version: '6',
      capacity: 4,
      healthyBy: NOW.toISOString(),
      estimatedSeconds: 0,
      summary: `instant rollback: green still runs ${OLDER_AMI}; send it all traffic`,
    });
    expect(ec2Instances.reads).toHaveLength(0);
    // Only the trust check: the image the flip releases is one this environment still runs.
    expect(images.described).toEqual([OLDER_AMI]);
  });

  it('runs a canary of the previous image with the rollback steps once the warm colour has expired', async () => {
    fleetOf({ desired: 4, instances: instances(4) }, warmGreen);
    image({ id: OLDER_AMI });
    const expired = { ...warm, until: NOW.toISOString() };
    expect(await plan({ action: 'rollback' }, { f: fleet({ warm: expired }) })).toMatchObject({
      kind: 'canary',
      to: { colour: 'green', imageId: OLDER_AMI },
      steps: [100],
    });
    expect(images.described).toEqual([OLDER_AMI]);
  });

  it('returns to its own previous release without the promotion gate (it passed it when it was released here)', async () => {
    fleetOf({ desired: 4, instances: instances(4) }, warmGreen);
    image({ id: OLDER_AMI });
    const expired = { ...warm, until: NOW.toISOString() };
    const staging = settings({ environment: 'staging', promoteFrom: 'dev' });
    expect(
      await planRollout(
        {
          settings: staging,
          execution: execution(),
          request: request({ action: 'rollback' }),
          fleet: fleet({ warm: expired }),
        },
        { groups, instances: ec2Instances, images, upstream, now: NOW },
      ),
    ).toMatchObject({ kind: 'canary', to: { imageId: OLDER_AMI } });
  });

  it('runs a canary when the warm colour is short of instances', async () => {
    fleetOf(
      { desired: 4, instances: instances(4) },
      { ...warmGreen, instances: instances(3, 10, { version: '6' }) },
    );
    image({ id: OLDER_AMI });
    expect((await plan({ action: 'rollback' }, { f: fleet({ warm }) })).kind).toBe('canary');
  });

  it('runs a canary when the warm colour runs another image than the previous release', async () => {
    fleetOf({ desired: 4, instances: instances(4) }, warmGreen);
    image({ id: OLDER_AMI });
    expect(
      (await plan({ action: 'rollback' }, { f: fleet({ warm: { ...warm, image: NEW_AMI } }) })).kind,
    ).toBe('canary');
  });

  it('never flips to a warm colour a later canary has taken over', async () => {
    // A canary started during the warm period replaced green's instances with its own
    // version, failed, and left the warm record in place: green no longer runs the previous release.
    fleetOf(
      { desired: 4, instances: instances(4) },
      { desired: 4, version: '9', instances: instances(4, 20, { version: '9' }) },
    );
    image({ id: OLDER_AMI });
    expect(await plan({ action: 'rollback' }, { f: fleet({ warm }) })).toMatchObject({
      kind: 'canary',
      to: { colour: 'green', imageId: OLDER_AMI },
    });
  });

  it('flips only when enough warm instances still run the previous release', async () => {
    fleetOf(
      { desired: 4, instances: instances(4) },
      {
        desired: 4,
        instances: [...instances(2, 10, { version: '6' }), ...instances(2, 20, { version: '9' })],
      },
    );
    image({ id: OLDER_AMI });
    expect((await plan({ action: 'rollback' }, { f: fleet({ warm }) })).kind).toBe('canary');
  });

  it('fails with NothingToRollBack when there was no earlier release', async () => {
    fleetOf({ instances: instances(4) });
    const first = fleet();
    delete (first as { previousImage?: string }).previousImage;
    await expect(plan({ action: 'rollback' }, { f: first })).rejects.toThrow(
      new NothingToRollBack('dev has no earlier release to return to'),
    );
  });
});

describe('planRollout in a freeze window', () => {
  const freezeWindows = [
    { start: '2026-03-01T00:00:00Z', end: '2026-03-03T00:00:00Z', reason: 'quarter close' },
  ];

  it.each(['schedule', 'image-factory', 'promotion'] as const)(
    'skips an automatic (%s) rollout without touching AWS',
    async (trigger) => {
      expect(await plan({ trigger }, { s: { freezeWindows } })).toEqual({
        kind: 'skip',
        reason:
          'inside the freeze window "quarter close" (2026-03-01T00:00:00Z to 2026-03-03T00:00:00Z); automatic rollouts wait',
        summary:
          'skip: inside the freeze window "quarter close" (2026-03-01T00:00:00Z to 2026-03-03T00:00:00Z); automatic rollouts wait',
        estimatedSeconds: 0,
      });
      expect(groups.reads).toHaveLength(0);
      expect(ec2Instances.reads).toHaveLength(0);
      expect(images.described).toHaveLength(0);
    },
  );

  it('lets an operator started from the console through', async () => {
    image({ id: OLD_AMI });
    fleetOf({ instances: instances(4) });
    launchedDaysAgo(() => 10);
    expect((await plan({ trigger: 'console' }, { s: { freezeWindows } })).kind).toBe('refresh');
  });

  it('runs automatic rollouts once the window has ended', async () => {
    image({ id: OLD_AMI });
    fleetOf({ instances: instances(4) });
    launchedDaysAgo(() => 10);
    const ended = [{ ...freezeWindows[0]!, end: NOW.toISOString() }];
    expect((await plan({ trigger: 'schedule' }, { s: { freezeWindows: ended } })).kind).toBe('refresh');
  });
});
