import {
  CreateLaunchTemplateVersionCommand,
  CreateTagsCommand,
  DeleteTagsCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeLaunchTemplatesCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { Ec2Images, Ec2Instances, Ec2LaunchTemplates } from '../../../lambda/aws/ec2';
import { awsError } from '../aws-errors';
import { at, instanceId, instances, LAUNCH_TEMPLATE, NEW_AMI, OLD_AMI, OLDER_AMI } from '../fixtures';
import { inputsOf } from '../sdk-mocks';

const ec2 = mockClient(EC2Client);
const client = () => new EC2Client({});

beforeEach(() => ec2.reset());

describe('Ec2LaunchTemplates.createVersion', () => {
  const KEY = 'arn:aws:states:eu-west-1:111122223333:execution:immutable-dev-rollout:run-1#phoenix';
  const create = (description = `phoenix ${OLD_AMI} by run-1`, key = KEY) =>
    new Ec2LaunchTemplates(client()).createVersion(LAUNCH_TEMPLATE, OLD_AMI, description, key);
  const withDefault = (number: number | undefined) =>
    ec2
      .on(DescribeLaunchTemplatesCommand, { LaunchTemplateIds: [LAUNCH_TEMPLATE] })
      .resolves({ LaunchTemplates: [{ LaunchTemplateId: LAUNCH_TEMPLATE, DefaultVersionNumber: number }] });

  it('copies the default version, by its number, with the AMI and the description, and returns the new number', async () => {
    withDefault(3);
    ec2.on(CreateLaunchTemplateVersionCommand).resolves({ LaunchTemplateVersion: { VersionNumber: 8 } });
    expect(await create()).toBe('8');
    expect(inputsOf(ec2, DescribeLaunchTemplatesCommand)).toEqual([{ LaunchTemplateIds: [LAUNCH_TEMPLATE] }]);
    expect(inputsOf(ec2, CreateLaunchTemplateVersionCommand)).toEqual([
      {
        LaunchTemplateId: LAUNCH_TEMPLATE,
        SourceVersion: '3',
        VersionDescription: `phoenix ${OLD_AMI} by run-1`,
        LaunchTemplateData: { ImageId: OLD_AMI },
        ClientToken: expect.stringMatching(/^[0-9a-f]{64}$/) as string,
      },
    ]);
  });

  it('sends the same ClientToken for the same key, another for another key', async () => {
    withDefault(7);
    ec2.on(CreateLaunchTemplateVersionCommand).resolves({ LaunchTemplateVersion: { VersionNumber: 8 } });
    await create();
    await create();
    await create(undefined, `${KEY.replace('#phoenix', '')}#canary`);
    const [first, again, other] = inputsOf(ec2, CreateLaunchTemplateVersionCommand).map((i) => i.ClientToken);
    expect(again).toBe(first);
    expect(other).not.toBe(first);
  });

  it('never passes an alias as SourceVersion, which the API reference does not document', async () => {
    withDefault(12);
    ec2.on(CreateLaunchTemplateVersionCommand).resolves({ LaunchTemplateVersion: { VersionNumber: 13 } });
    await create();
    for (const input of inputsOf(ec2, CreateLaunchTemplateVersionCommand))
      expect(input.SourceVersion).toMatch(/^[1-9]\d*$/);
  });

  it('keeps the version description within the 255 characters EC2 accepts', async () => {
    withDefault(1);
    ec2.on(CreateLaunchTemplateVersionCommand).resolves({ LaunchTemplateVersion: { VersionNumber: 8 } });
    await create(`phoenix ${OLD_AMI} by ${'n'.repeat(300)}`);
    expect(inputsOf(ec2, CreateLaunchTemplateVersionCommand)[0]?.VersionDescription).toHaveLength(255);
  });

  it('fails when EC2 describes no default version, creating nothing', async () => {
    withDefault(undefined);
    await expect(create()).rejects.toThrow(
      `DescribeLaunchTemplates on ${LAUNCH_TEMPLATE} returned no default version`,
    );
    expect(inputsOf(ec2, CreateLaunchTemplateVersionCommand)).toEqual([]);
  });

  it('fails when EC2 returns no version number', async () => {
    withDefault(1);
    ec2.on(CreateLaunchTemplateVersionCommand).resolves({ LaunchTemplateVersion: {} });
    await expect(create()).rejects.toThrow(
      `CreateLaunchTemplateVersion on ${LAUNCH_TEMPLATE} returned no version`,
    );
  });
});

describe('Ec2Instances.launchTimes', () => {
  /** DescribeInstances answering with each id's launch time, or none for the ids in `unknown`. */
  function launched(unknown: string[] = []) {
    ec2.on(DescribeInstancesCommand).callsFake((input: { InstanceIds: string[] }) =>
      Promise.resolve({
        Reservations: [
          {
            Instances: input.InstanceIds.map((id) => ({
              InstanceId: id,
              ...(unknown.includes(id) ? {} : { LaunchTime: at(-86_400) }),
            })),
          },
        ],
      }),
    );
  }

  it('reads the launch time of each instance, leaving out one EC2 reports none for', async () => {
    launched([instanceId(2)]);
    const times = await new Ec2Instances(client()).launchTimes([instanceId(1), instanceId(2)]);
    expect([...times]).toEqual([[instanceId(1), at(-86_400)]]);
    expect(inputsOf(ec2, DescribeInstancesCommand)).toEqual([
      { InstanceIds: [instanceId(1), instanceId(2)] },
    ]);
  });

  it('asks DescribeInstances about at most 200 instances at a time', async () => {
    launched();
    const ids = instances(450).map((i) => i.id);
    const times = await new Ec2Instances(client()).launchTimes(ids);
    const calls = inputsOf(ec2, DescribeInstancesCommand);
    expect(calls.map((c) => c.InstanceIds?.length)).toEqual([200, 200, 50]);
    expect(new Set(calls.flatMap((c) => c.InstanceIds)).size).toBe(450);
    expect(times.size).toBe(450);
  });

  it('asks nothing about no instances', async () => {
    expect((await new Ec2Instances(client()).launchTimes([])).size).toBe(0);
    expect(ec2.calls()).toHaveLength(0);
  });
});

describe('Ec2Images.describe', () => {
  const images = () => new Ec2Images(client());

  it('looks the image up by id, with its state, owner and tags', async () => {
    ec2.on(DescribeImagesCommand).resolves({
      Images: [
        {
          ImageId: NEW_AMI,
          State: 'available',
          OwnerId: '444455556666',
          Name: 'immutable-dev-app 1.4.0',
          Tags: [{ Key: 'immutable:released-dev', Value: '2026-03-01T08:00:00.000Z' }],
        },
      ],
    });
    expect(await images().describe(NEW_AMI)).toEqual({
      id: NEW_AMI,
      state: 'available',
      owner: '444455556666',
      tags: new Map([['immutable:released-dev', '2026-03-01T08:00:00.000Z']]),
    });
    expect(inputsOf(ec2, DescribeImagesCommand)).toEqual([{ ImageIds: [NEW_AMI] }]);
  });

  it('reports an image EC2 does not list as missing', async () => {
    ec2.on(DescribeImagesCommand).resolves({ Images: [] });
    expect(await images().describe(NEW_AMI)).toEqual({ missing: true });
  });

  it.each(['InvalidAMIID.NotFound', 'InvalidAMIID.Malformed', 'InvalidAMIID.Unavailable'])(
    'reports an image EC2 refuses with %s as missing, with that code',
    async (code) => {
      ec2.on(DescribeImagesCommand).rejects(awsError(code, `The image id '[${NEW_AMI}]' does not exist`));
      expect(await images().describe(NEW_AMI)).toEqual({ missing: true, code });
    },
  );

  it('propagates other EC2 errors unchanged', async () => {
    ec2.on(DescribeImagesCommand).rejects(awsError('RequestLimitExceeded'));
    await expect(images().describe(NEW_AMI)).rejects.toMatchObject({ name: 'RequestLimitExceeded' });
  });
});

describe('Ec2Images tags', () => {
  const images = () => new Ec2Images(client());

  it('reads the tags of own images only, by a filter that skips deregistered ones', async () => {
    ec2.on(DescribeImagesCommand).resolves({
      Images: [
        { ImageId: NEW_AMI, Tags: [] },
        { ImageId: OLD_AMI, Tags: [{ Key: 'immutable:rollback-candidate:dev', Value: 'true' }] },
      ],
    });
    const tags = await images().tagsOf([NEW_AMI, OLD_AMI, OLDER_AMI]);
    expect([...tags].map(([id, t]) => [id, Object.fromEntries(t)])).toEqual([
      [NEW_AMI, {}],
      [OLD_AMI, { 'immutable:rollback-candidate:dev': 'true' }],
    ]);
    expect(inputsOf(ec2, DescribeImagesCommand)).toEqual([
      { Owners: ['self'], Filters: [{ Name: 'image-id', Values: [NEW_AMI, OLD_AMI, OLDER_AMI] }] },
    ]);
  });

  it('creates and deletes tags on the images given', async () => {
    ec2.on(CreateTagsCommand).resolves({});
    ec2.on(DeleteTagsCommand).resolves({});
    await images().addTags([NEW_AMI], { 'immutable:released-dev': '2026-03-02T10:00:00.000Z' });
    await images().removeTags([OLDER_AMI], ['immutable:rollback-candidate:dev']);
    expect(inputsOf(ec2, CreateTagsCommand)).toEqual([
      { Resources: [NEW_AMI], Tags: [{ Key: 'immutable:released-dev', Value: '2026-03-02T10:00:00.000Z' }] },
    ]);
    expect(inputsOf(ec2, DeleteTagsCommand)).toEqual([
      { Resources: [OLDER_AMI], Tags: [{ Key: 'immutable:rollback-candidate:dev' }] },
    ]);
  });

  it('propagates EC2 errors', async () => {
    ec2.on(CreateTagsCommand).rejects(awsError('UnauthorizedOperation'));
    await expect(images().addTags([NEW_AMI], { k: 'v' })).rejects.toMatchObject({
      name: 'UnauthorizedOperation',
    });
  });
});

describe('Ec2Images.taggedWith', () => {
  it("lists this account's images carrying a tag key, page by page", async () => {
    ec2
      .on(DescribeImagesCommand, {
        Owners: ['self'],
        Filters: [{ Name: 'tag-key', Values: ['immutable:rollback-candidate:dev'] }],
        NextToken: undefined,
      })
      .resolves({ Images: [{ ImageId: 'ami-0aaaaaaaaaaaaaaaa' }], NextToken: 'page-2' })
      .on(DescribeImagesCommand, { NextToken: 'page-2' })
      .resolves({ Images: [{ ImageId: 'ami-0bbbbbbbbbbbbbbbb' }] });
    expect(await new Ec2Images(new EC2Client({})).taggedWith('immutable:rollback-candidate:dev')).toEqual([
      'ami-0aaaaaaaaaaaaaaaa',
      'ami-0bbbbbbbbbbbbbbbb',
    ]);
  });
});
