import { CreateTagsCommand, DeleteTagsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { tagRelease } from '../../../lambda/fleet/tag-release';
import type { FleetRecord } from '../../../lambda/shared/types';
import { fleet, NEW_AMI, NOW, OLD_AMI, OLDER_AMI, settings } from '../fixtures';
import { inputsOf } from '../sdk-mocks';

const ec2 = mockClient(EC2Client);

const tag = (before: FleetRecord, after: FleetRecord, environment = 'dev') =>
  tagRelease({ settings: settings({ environment }), before, after }, { ec2: new EC2Client({}), now: NOW });
const withoutPrevious = (f: FleetRecord): FleetRecord => {
  const { previousImage: _previous, ...rest } = f;
  return rest;
};

beforeEach(() => {
  ec2.reset();
  ec2.on(CreateTagsCommand).resolves({});
  ec2.on(DeleteTagsCommand).resolves({});
});

describe('tagRelease after a canary', () => {
  const before = fleet({ releasedImage: OLD_AMI, previousImage: OLDER_AMI });
  const after = fleet({ releasedImage: NEW_AMI, previousImage: OLD_AMI });

  it('stamps the released image with the release time for the next environment', async () => {
    await tag(before, after);
    expect(inputsOf(ec2, CreateTagsCommand)[0]).toEqual({
      Resources: [NEW_AMI],
      Tags: [{ Key: 'immutable:released-dev', Value: NOW.toISOString() }],
    });
  });

  it('keeps the released and the previous image out of the lifecycle policy', async () => {
    await tag(before, after);
    expect(inputsOf(ec2, CreateTagsCommand)[1]).toEqual({
      Resources: [NEW_AMI, OLD_AMI],
      Tags: [{ Key: 'immutable:rollback-candidate:dev', Value: 'true' }],
    });
  });

  it('lets go of the image no rollback can reach any more, whatever its tag value', async () => {
    expect(await tag(before, after)).toEqual({ tagged: [NEW_AMI, OLD_AMI], released: [OLDER_AMI] });
    expect(inputsOf(ec2, DeleteTagsCommand)).toEqual([
      { Resources: [OLDER_AMI], Tags: [{ Key: 'immutable:rollback-candidate:dev' }] },
    ]);
  });

  it('uses the keys of its own environment only', async () => {
    await tag(before, after, 'prod');
    const keys = [
      ...inputsOf(ec2, CreateTagsCommand).flatMap((i) => i.Tags ?? []),
      ...inputsOf(ec2, DeleteTagsCommand).flatMap((i) => i.Tags ?? []),
    ].map((t) => t.Key);
    expect(keys).toEqual([
      'immutable:released-prod',
      'immutable:rollback-candidate:prod',
      'immutable:rollback-candidate:prod',
    ]);
  });
});

describe('tagRelease in other shapes of release', () => {
  it('untags nothing on a first release', async () => {
    const r = await tag(
      withoutPrevious(fleet({ releasedImage: OLD_AMI })),
      fleet({ releasedImage: NEW_AMI, previousImage: OLD_AMI }),
    );
    expect(r).toEqual({ tagged: [NEW_AMI, OLD_AMI], released: [] });
    expect(ec2.commandCalls(DeleteTagsCommand)).toHaveLength(0);
  });

  it('keeps both images of a rollback, which only swapped them', async () => {
    const r = await tag(
      fleet({ releasedImage: NEW_AMI, previousImage: OLD_AMI }),
      fleet({ releasedImage: OLD_AMI, previousImage: NEW_AMI }),
    );
    expect(r).toEqual({ tagged: [OLD_AMI, NEW_AMI], released: [] });
    expect(ec2.commandCalls(DeleteTagsCommand)).toHaveLength(0);
  });

  it('keeps just the released image when there is no previous one', async () => {
    const only = withoutPrevious(fleet({ releasedImage: NEW_AMI }));
    await tag(only, only);
    expect(inputsOf(ec2, CreateTagsCommand)[1]?.Resources).toEqual([NEW_AMI]);
  });

  it('propagates EC2 errors', async () => {
    ec2.on(CreateTagsCommand).rejects(Object.assign(new Error('no'), { name: 'UnauthorizedOperation' }));
    await expect(
      tag(fleet(), fleet({ releasedImage: NEW_AMI, previousImage: OLD_AMI })),
    ).rejects.toMatchObject({
      name: 'UnauthorizedOperation',
    });
  });
});
