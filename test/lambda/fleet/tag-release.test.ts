import type { EnvironmentName } from '../../../lambda/shared/environments';
import { tagRelease } from '../../../lambda/fleet/tag-release';
import type { FleetRecord } from '../../../lambda/shared/documents';
import { awsError } from '../aws-errors';
import { FakeImages } from '../fakes/images';
import { execution, fleet, NEW_AMI, NOW, OLD_AMI, OLDER_AMI, settings } from '../fixtures';

const KEEP = 'immutable:rollback-candidate:dev';
const RELEASED = 'immutable:released-dev';
const RELEASED_AT = NOW.toISOString();

/** The images EC2 holds, with their tags. */
let images: FakeImages;

const tag = (
  before: FleetRecord,
  after: FleetRecord,
  options: { environment?: EnvironmentName; dryRun?: boolean } = {},
) =>
  tagRelease(
    {
      settings: settings({ environment: options.environment ?? 'dev' }),
      execution: execution(),
      before,
      after,
      dryRun: options.dryRun,
    },
    { images },
  );
const withoutPrevious = (f: FleetRecord): FleetRecord => {
  const { previousImage: _previous, ...rest } = f;
  return rest;
};
const writes = () => images.writes;
const tagsOf = (id: string) => images.images.get(id)?.tags;

beforeEach(() => {
  images = new FakeImages()
    .put(NEW_AMI)
    .put(OLD_AMI, { tags: { [KEEP]: 'true' } })
    .put(OLDER_AMI, { tags: { [KEEP]: 'true' } });
});

describe('tagRelease after a canary', () => {
  const before = fleet({ releasedImage: OLD_AMI, previousImage: OLDER_AMI });
  const after = fleet({ releasedImage: NEW_AMI, previousImage: OLD_AMI, releasedAt: RELEASED_AT });

  it('reads the tags of every image it may change, in one read', async () => {
    await tag(before, after);
    expect(images.tagReads).toEqual([[NEW_AMI, OLD_AMI, OLDER_AMI]]);
  });

  it('stamps the released image with its release time for the next environment', async () => {
    await tag(before, after);
    expect(writes()).toContainEqual({ add: [NEW_AMI], tags: { [RELEASED]: RELEASED_AT } });
    expect(tagsOf(NEW_AMI)).toMatchObject({ [RELEASED]: RELEASED_AT });
  });

  it('keeps the released image out of the lifecycle policy; the previous one already is', async () => {
    await tag(before, after);
    expect(writes()).toContainEqual({ add: [NEW_AMI], tags: { [KEEP]: 'true' } });
    expect(tagsOf(NEW_AMI)).toMatchObject({ [KEEP]: 'true' });
  });

  it('lets go of the image no rollback can reach any more, whatever its tag value', async () => {
    images.put(OLDER_AMI, { tags: { [KEEP]: 'yes' } });
    expect(await tag(before, after)).toEqual({
      kept: [NEW_AMI, OLD_AMI],
      stamped: NEW_AMI,
      tagged: [NEW_AMI],
      released: [OLDER_AMI],
    });
    expect(writes().filter((w) => 'remove' in w)).toEqual([{ remove: [OLDER_AMI], keys: [KEEP] }]);
    expect(tagsOf(OLDER_AMI)).toEqual({});
  });

  it('uses the keys of its own environment only', async () => {
    images.put(OLDER_AMI, { tags: { 'immutable:rollback-candidate:prod': 'true' } });
    await tag(before, after, { environment: 'prod' });
    const keys = writes().flatMap((w) => ('add' in w ? Object.keys(w.tags) : w.keys));
    expect(keys).toEqual([
      'immutable:released-prod',
      'immutable:rollback-candidate:prod',
      'immutable:rollback-candidate:prod',
    ]);
  });

  it('reports and writes nothing on a dry run', async () => {
    expect(await tag(before, after, { dryRun: true })).toMatchObject({
      stamped: NEW_AMI,
      tagged: [NEW_AMI],
      released: [OLDER_AMI],
      dryRun: true,
    });
    expect(writes()).toEqual([]);
  });
});

describe('tagRelease at the end of a rollout that released nothing', () => {
  const released = fleet({ releasedImage: NEW_AMI, previousImage: OLD_AMI, releasedAt: RELEASED_AT });

  it('writes nothing when every tag is already there', async () => {
    images.put(NEW_AMI, { tags: { [KEEP]: 'true', [RELEASED]: RELEASED_AT } });
    expect(await tag(released, released)).toEqual({ kept: [NEW_AMI, OLD_AMI], tagged: [], released: [] });
    expect(writes()).toEqual([]);
  });

  it('puts back the tags a release stopped before tagging left out', async () => {
    await tag(released, released);
    expect(writes()).toEqual([
      { add: [NEW_AMI], tags: { [RELEASED]: RELEASED_AT } },
      { add: [NEW_AMI], tags: { [KEEP]: 'true' } },
    ]);
  });

  it('never marks as released the image a deploy put in place, which no rollout released', async () => {
    const deployed = withoutPrevious(fleet({ releasedImage: NEW_AMI }));
    const { releasedAt: _at, ...unreleased } = deployed;
    await tag(unreleased, unreleased);
    expect(writes()).toEqual([{ add: [NEW_AMI], tags: { [KEEP]: 'true' } }]);
  });

  it('skips an image that no longer exists', async () => {
    images.images.delete(OLD_AMI);
    images.put(NEW_AMI, { tags: { [RELEASED]: RELEASED_AT } });
    expect(await tag(released, released)).toMatchObject({ tagged: [NEW_AMI], released: [] });
    expect(writes()).toEqual([{ add: [NEW_AMI], tags: { [KEEP]: 'true' } }]);
  });

  it("tags another account's public image like its own, once: the tags are this account's", async () => {
    images.put(OLD_AMI, { owner: '137112412989' });
    images.put(NEW_AMI, { tags: { [RELEASED]: RELEASED_AT } });
    expect(await tag(released, released)).toMatchObject({ tagged: [NEW_AMI, OLD_AMI], released: [] });
    await tag(released, released);
    expect(writes()).toEqual([{ add: [NEW_AMI, OLD_AMI], tags: { [KEEP]: 'true' } }]);
  });
});

describe('tagRelease in other shapes of release', () => {
  it('untags nothing on a first release', async () => {
    const r = await tag(
      withoutPrevious(fleet({ releasedImage: OLD_AMI })),
      fleet({ releasedImage: NEW_AMI, previousImage: OLD_AMI }),
    );
    expect(r.released).toEqual([]);
    expect(writes().filter((w) => 'remove' in w)).toHaveLength(0);
  });

  it('keeps both images of a rollback, which only swapped them', async () => {
    const r = await tag(
      fleet({ releasedImage: NEW_AMI, previousImage: OLD_AMI }),
      fleet({ releasedImage: OLD_AMI, previousImage: NEW_AMI }),
    );
    expect(r).toMatchObject({ kept: [OLD_AMI, NEW_AMI], released: [] });
    expect(writes().filter((w) => 'remove' in w)).toHaveLength(0);
  });

  it('propagates EC2 errors', async () => {
    images.failures.on('addTags', awsError('UnauthorizedOperation'));
    await expect(
      tag(fleet(), fleet({ releasedImage: NEW_AMI, previousImage: OLD_AMI })),
    ).rejects.toMatchObject({ name: 'UnauthorizedOperation' });
  });
});
