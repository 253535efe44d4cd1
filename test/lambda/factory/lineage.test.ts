import { tagLineage } from '../../../lambda/factory/lineage';
import type { ImageReleasedDetail } from '../../../lambda/shared/events';
import { awsError } from '../aws-errors';
import { FakeImages } from '../fakes/images';
import { NEW_AMI, OLD_AMI, OLDER_AMI } from '../fixtures';
import { imageReleased } from '../triggers/events';

const KEEP = 'immutable:rollback-candidate:dev';
const RELEASED = 'immutable:released-dev';
const RELEASED_AT = '2026-03-02T09:30:00.000Z';
const DEV_ACCOUNT = '222233334444';

/** The factory's AMIs in the release's region, with their tags. */
let images: FakeImages;
let regions: string[];

beforeEach(() => {
  regions = [];
  images = new FakeImages()
    .put(NEW_AMI)
    .put(OLD_AMI, { tags: { [KEEP]: 'true' } })
    .put(OLDER_AMI, { tags: { [KEEP]: 'true' } });
});

const deps = () => ({
  images: (region: string) => {
    regions.push(region);
    return images;
  },
  accounts: { dev: DEV_ACCOUNT },
});
const release = (d: Partial<ImageReleasedDetail> = {}, account = DEV_ACCOUNT) =>
  tagLineage(
    imageReleased({ imageId: NEW_AMI, previousImage: OLD_AMI, releasedAt: RELEASED_AT, ...d }, account),
    deps(),
  );
const tagsOf = (id: string) => images.images.get(id)?.tags;

describe('tagLineage after a canary released an image in dev', () => {
  it('tags in the region the release happened in', async () => {
    await release();
    expect(regions).toEqual(['us-west-2']);
  });

  it('stamps the released image with its release time', async () => {
    await release();
    expect(tagsOf(NEW_AMI)).toMatchObject({ [RELEASED]: RELEASED_AT });
  });

  it('keeps the released and previous images out of the lifecycle policy, and lets go of the one before', async () => {
    expect(await release()).toEqual({
      environment: 'dev',
      kept: [NEW_AMI, OLD_AMI],
      stamped: NEW_AMI,
      tagged: [NEW_AMI],
      released: [OLDER_AMI],
    });
    expect(tagsOf(NEW_AMI)).toMatchObject({ [KEEP]: 'true' });
    expect(tagsOf(OLD_AMI)).toMatchObject({ [KEEP]: 'true' });
    expect(tagsOf(OLDER_AMI)).not.toHaveProperty(KEEP);
  });

  it("touches only dev's keys, whatever staging keeps", async () => {
    images.put(OLDER_AMI, { tags: { [KEEP]: 'true', 'immutable:rollback-candidate:staging': 'true' } });
    await release();
    expect(tagsOf(OLDER_AMI)).toEqual({ 'immutable:rollback-candidate:staging': 'true' });
  });

  it('writes nothing when every tag is already there (a repeated delivery)', async () => {
    await release();
    const written = images.writes.length;
    await release();
    expect(images.writes).toHaveLength(written);
  });

  it('keeps both images of a rollback, which only swapped them', async () => {
    images.put(NEW_AMI, { tags: { [KEEP]: 'true' } });
    await release({ action: 'rollback', imageId: OLD_AMI, previousImage: NEW_AMI });
    expect(tagsOf(OLD_AMI)).toMatchObject({ [KEEP]: 'true', [RELEASED]: RELEASED_AT });
    expect(tagsOf(NEW_AMI)).toMatchObject({ [KEEP]: 'true' });
  });

  it('never tags an image the factory does not own', async () => {
    images.put(NEW_AMI, { owner: '999988887777' });
    expect(await release()).toMatchObject({ kept: [OLD_AMI], tagged: [] });
    expect(tagsOf(NEW_AMI)).toEqual({});
  });
});

describe('tagLineage refuses what it must not trust', () => {
  it('ignores a release announced from an account that is not the environment’s', async () => {
    expect(await release({}, '999988887777')).toEqual({
      ignored: `a release of dev from account 999988887777, not ${DEV_ACCOUNT}`,
    });
    expect(images.writes).toEqual([]);
  });

  it('ignores a release of an environment the product does not have, whatever account announced it', async () => {
    expect(await release({ environment: 'qa' })).toEqual({
      ignored: 'a release of qa, which is not an environment of this product (dev)',
    });
    expect(images.writes).toEqual([]);
  });

  it('fails loudly on a malformed event', async () => {
    await expect(
      tagLineage({ ...imageReleased(), detail: { environment: 'dev' } }, deps()),
    ).rejects.toMatchObject({
      name: 'MalformedEvent',
    });
  });

  it('propagates EC2 errors', async () => {
    images.failures.on('addTags', awsError('RequestLimitExceeded'));
    await expect(release()).rejects.toMatchObject({ name: 'RequestLimitExceeded' });
  });
});
