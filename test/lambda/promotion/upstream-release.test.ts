import { onUpstreamRelease } from '../../../lambda/promotion/upstream-release';
import { FakeExecutions } from '../fakes/executions';
import { FakePromotionStore } from '../fakes/promotion-store';
import { imageAvailable, imageReleased } from '../triggers/events';

const PROMOTION = 'arn:aws:states:us-west-2:333344445555:stateMachine:immutable-staging-promotion';
const DEV_ACCOUNT = '222233334444';
const RELEASED = 'ami-0bbbbbbbbbbbbbbbb';

let store: FakePromotionStore;
let promotions: FakeExecutions;

/** What on-image-available recorded when the factory announced the image to this environment. */
async function announced(amis: Array<{ region: string; imageId: string }>, here = amis[0]?.imageId ?? '') {
  await store.recordFactoryImage({
    ...imageAvailable().detail,
    amis,
    imageId: here,
    announcedAt: '2026-03-02T09:00:00.000Z',
  });
}

beforeEach(async () => {
  store = new FakePromotionStore();
  promotions = new FakeExecutions(PROMOTION);
  await announced([{ region: 'us-west-2', imageId: RELEASED }]);
});

const deps = () => ({
  store,
  promotions,
  from: 'dev' as const,
  upstreamAccount: DEV_ACCOUNT,
  soakMinutes: 60,
});

describe('onUpstreamRelease of a canary that passed upstream', () => {
  it('records the release as the upstream one and starts a promotion soaking until an hour later', async () => {
    const r = await onUpstreamRelease(imageReleased(), deps());
    expect(r).toEqual({
      promotion: true,
      executionArn: `${promotions.arnOf(`promote-${RELEASED}-c3d4e5f6-7890-12ab-cdef-EXAMPLE44444`)}`,
      soakUntil: '2026-03-02T10:30:00.000Z',
    });
    expect([...promotions.executions.values()]).toEqual([
      {
        imageId: RELEASED,
        from: 'dev',
        releasedAt: '2026-03-02T09:30:00.000Z',
        soakUntil: '2026-03-02T10:30:00.000Z',
        releasedBy: 'arn:aws:states:us-west-2:222233334444:execution:immutable-dev-rollout:image-1',
      },
    ]);
    expect(store.latest.get('dev')).toMatchObject({ imageId: RELEASED, action: 'canary' });
    expect(await store.upstreamRelease('dev', RELEASED)).toBeDefined();
  });

  it('promotes this region’s copy when the upstream environment runs in another region', async () => {
    const here = 'ami-0eeeeeeeeeeeeeeee';
    await announced(
      [
        { region: 'eu-west-1', imageId: RELEASED },
        { region: 'us-west-2', imageId: here },
      ],
      here,
    );
    const r = await onUpstreamRelease(imageReleased(), deps());
    expect(r).toMatchObject({ promotion: true });
    expect([...promotions.executions.values()]).toEqual([expect.objectContaining({ imageId: here })]);
    expect(store.latest.get('dev')).toMatchObject({ imageId: here, upstreamImageId: RELEASED });
    // The promotion gate looks the release up by the AMI this environment runs.
    expect(await store.upstreamRelease('dev', here)).toMatchObject({ upstreamImageId: RELEASED });
  });

  it('records, but does not promote, a release of an image the factory never announced here', async () => {
    const stranger = 'ami-0ffffffffffffffff';
    const r = await onUpstreamRelease(imageReleased({ imageId: stranger }), deps());
    expect(r).toEqual({
      promotion: false,
      reason: `dev released ${stranger}, which the image factory never announced here; nothing to promote`,
    });
    expect(store.latest.get('dev')?.imageId).toBe(stranger);
    expect(promotions.executions.size).toBe(0);
  });

  it('starts one promotion per announcement however often it is delivered', async () => {
    await onUpstreamRelease(imageReleased(), deps());
    await onUpstreamRelease(imageReleased(), deps());
    expect(promotions.executions.size).toBe(1);
  });
});

describe('onUpstreamRelease of anything else', () => {
  it('records a rollback upstream without promoting it (a soaking promotion is cancelled at its check)', async () => {
    const r = await onUpstreamRelease(
      imageReleased({ action: 'rollback', imageId: 'ami-0aaaaaaaaaaaaaaaa' }),
      deps(),
    );
    expect(r).toEqual({
      promotion: false,
      reason:
        'dev rolled back to ami-0aaaaaaaaaaaaaaaa; a promotion of anything else is cancelled at its next check',
    });
    expect(store.latest.get('dev')?.imageId).toBe('ami-0aaaaaaaaaaaaaaaa');
    expect(promotions.executions.size).toBe(0);
  });

  it('ignores a release of another environment, or from another account', async () => {
    expect(await onUpstreamRelease(imageReleased({ environment: 'staging' }), deps())).toMatchObject({
      promotion: false,
    });
    expect(await onUpstreamRelease(imageReleased({}, '999988887777'), deps())).toEqual({
      promotion: false,
      reason: `a release of dev from account 999988887777; this environment promotes from dev (${DEV_ACCOUNT}) only`,
    });
    expect(store.latest.size).toBe(0);
    expect(promotions.executions.size).toBe(0);
  });

  it('never lets an older release delivered late replace a newer one', async () => {
    await onUpstreamRelease(
      imageReleased({
        imageId: 'ami-0ccccccccccccccccc'.slice(0, 21),
        releasedAt: '2026-03-02T11:00:00.000Z',
      }),
      deps(),
    );
    const late = await onUpstreamRelease(imageReleased(), deps());
    expect(late).toMatchObject({ promotion: false });
    expect(store.latest.get('dev')?.releasedAt).toBe('2026-03-02T11:00:00.000Z');
  });

  it.each([
    ['another source', { source: 'immutable.images' }, 'source'],
    [
      'an environment that is no environment name',
      { detail: { ...imageReleased().detail, environment: 'Q A' } },
      'detail.environment',
    ],
    ['a malformed AMI id', { detail: { ...imageReleased().detail, imageId: 'ami-nope' } }, 'detail.imageId'],
    ['an unknown action', { detail: { ...imageReleased().detail, action: 'phoenix' } }, 'detail.action'],
    ['no release time', { detail: { ...imageReleased().detail, releasedAt: 'soon' } }, 'detail.releasedAt'],
  ])(
    'fails loudly on an event with %s, naming the field (the dead-letter queue keeps it), starting nothing',
    async (_what, change, field) => {
      await expect(onUpstreamRelease({ ...imageReleased(), ...change }, deps())).rejects.toMatchObject({
        name: 'MalformedEvent',
        message: expect.stringContaining(`${field}: `),
      });
      expect(store.latest.size).toBe(0);
      expect(promotions.executions.size).toBe(0);
    },
  );
});
