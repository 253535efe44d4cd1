import type { EnvironmentName } from '../../../lambda/shared/environments';
import { CreateTagsCommand, DeleteTagsCommand, DescribeImagesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { tagRelease } from '../../../lambda/fleet/tag-release';
import type { FleetRecord } from '../../../lambda/shared/documents';
import { fleet, NEW_AMI, NOW, OLD_AMI, OLDER_AMI, settings } from '../fixtures';
import { awsError, inputsOf } from '../sdk-mocks';

const ec2 = mockClient(EC2Client);
const KEEP = 'immutable:rollback-candidate:dev';
const RELEASED = 'immutable:released-dev';
const RELEASED_AT = NOW.toISOString();

/** The images EC2 holds, with their tags. */
let images: Record<string, Record<string, string>>;

const tag = (
  before: FleetRecord,
  after: FleetRecord,
  options: { environment?: EnvironmentName; dryRun?: boolean } = {},
) =>
  tagRelease(
    {
      settings: settings({ environment: options.environment ?? 'dev' }),
      before,
      after,
      dryRun: options.dryRun,
    },
    { ec2: new EC2Client({}) },
  );
const withoutPrevious = (f: FleetRecord): FleetRecord => {
  const { previousImage: _previous, ...rest } = f;
  return rest;
};
const writes = () => [...inputsOf(ec2, CreateTagsCommand), ...inputsOf(ec2, DeleteTagsCommand)];

beforeEach(() => {
  images = { [NEW_AMI]: {}, [OLD_AMI]: { [KEEP]: 'true' }, [OLDER_AMI]: { [KEEP]: 'true' } };
  ec2.reset();
  ec2.on(DescribeImagesCommand).callsFake((input: { Filters?: Array<{ Values?: string[] }> }) => ({
    Images: (input.Filters?.[0]?.Values ?? [])
      .filter((id) => images[id])
      .map((id) => ({
        ImageId: id,
        Tags: Object.entries(images[id] ?? {}).map(([Key, Value]) => ({ Key, Value })),
      })),
  }));
  ec2.on(CreateTagsCommand).resolves({});
  ec2.on(DeleteTagsCommand).resolves({});
});

describe('tagRelease after a canary', () => {
  const before = fleet({ releasedImage: OLD_AMI, previousImage: OLDER_AMI });
  const after = fleet({ releasedImage: NEW_AMI, previousImage: OLD_AMI, releasedAt: RELEASED_AT });

  it('reads the tags of every image it may change, own images only, skipping deregistered ones', async () => {
    await tag(before, after);
    expect(inputsOf(ec2, DescribeImagesCommand)).toEqual([
      { Owners: ['self'], Filters: [{ Name: 'image-id', Values: [NEW_AMI, OLD_AMI, OLDER_AMI] }] },
    ]);
  });

  it('stamps the released image with its release time for the next environment', async () => {
    await tag(before, after);
    expect(inputsOf(ec2, CreateTagsCommand)).toContainEqual({
      Resources: [NEW_AMI],
      Tags: [{ Key: RELEASED, Value: RELEASED_AT }],
    });
  });

  it('keeps the released image out of the lifecycle policy; the previous one already is', async () => {
    await tag(before, after);
    expect(inputsOf(ec2, CreateTagsCommand)).toContainEqual({
      Resources: [NEW_AMI],
      Tags: [{ Key: KEEP, Value: 'true' }],
    });
  });

  it('lets go of the image no rollback can reach any more, whatever its tag value', async () => {
    images[OLDER_AMI] = { [KEEP]: 'yes' };
    expect(await tag(before, after)).toEqual({
      kept: [NEW_AMI, OLD_AMI],
      stamped: NEW_AMI,
      tagged: [NEW_AMI],
      released: [OLDER_AMI],
    });
    expect(inputsOf(ec2, DeleteTagsCommand)).toEqual([{ Resources: [OLDER_AMI], Tags: [{ Key: KEEP }] }]);
  });

  it('uses the keys of its own environment only', async () => {
    images[OLDER_AMI] = { 'immutable:rollback-candidate:prod': 'true' };
    await tag(before, after, { environment: 'prod' });
    const keys = writes().flatMap((i) => (i.Tags ?? []).map((t) => t.Key));
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
    images[NEW_AMI] = { [KEEP]: 'true', [RELEASED]: RELEASED_AT };
    expect(await tag(released, released)).toEqual({ kept: [NEW_AMI, OLD_AMI], tagged: [], released: [] });
    expect(writes()).toEqual([]);
  });

  it('puts back the tags a release stopped before tagging left out', async () => {
    await tag(released, released);
    expect(writes()).toEqual([
      { Resources: [NEW_AMI], Tags: [{ Key: RELEASED, Value: RELEASED_AT }] },
      { Resources: [NEW_AMI], Tags: [{ Key: KEEP, Value: 'true' }] },
    ]);
  });

  it('never marks as released the image a deploy put in place, which no rollout released', async () => {
    const deployed = withoutPrevious(fleet({ releasedImage: NEW_AMI }));
    const { releasedAt: _at, ...unreleased } = deployed;
    await tag(unreleased, unreleased);
    expect(writes()).toEqual([{ Resources: [NEW_AMI], Tags: [{ Key: KEEP, Value: 'true' }] }]);
  });

  it('skips an image that no longer exists, or is not its own to tag', async () => {
    delete images[OLD_AMI];
    images[NEW_AMI] = { [RELEASED]: RELEASED_AT };
    expect(await tag(released, released)).toMatchObject({ tagged: [NEW_AMI], released: [] });
    expect(writes()).toEqual([{ Resources: [NEW_AMI], Tags: [{ Key: KEEP, Value: 'true' }] }]);
  });
});

describe('tagRelease in other shapes of release', () => {
  it('untags nothing on a first release', async () => {
    const r = await tag(
      withoutPrevious(fleet({ releasedImage: OLD_AMI })),
      fleet({ releasedImage: NEW_AMI, previousImage: OLD_AMI }),
    );
    expect(r.released).toEqual([]);
    expect(ec2.commandCalls(DeleteTagsCommand)).toHaveLength(0);
  });

  it('keeps both images of a rollback, which only swapped them', async () => {
    const r = await tag(
      fleet({ releasedImage: NEW_AMI, previousImage: OLD_AMI }),
      fleet({ releasedImage: OLD_AMI, previousImage: NEW_AMI }),
    );
    expect(r).toMatchObject({ kept: [OLD_AMI, NEW_AMI], released: [] });
    expect(ec2.commandCalls(DeleteTagsCommand)).toHaveLength(0);
  });

  it('propagates EC2 errors', async () => {
    ec2.on(CreateTagsCommand).rejects(awsError('UnauthorizedOperation'));
    await expect(
      tag(fleet(), fleet({ releasedImage: NEW_AMI, previousImage: OLD_AMI })),
    ).rejects.toMatchObject({ name: 'UnauthorizedOperation' });
  });
});
