import {
  CreateLaunchTemplateVersionCommand,
  CreateTagsCommand,
  DeleteTagsCommand,
  DescribeImagesCommand,
  DescribeLaunchTemplatesCommand,
} from '@aws-sdk/client-ec2';
import type { DescribeImagesCommandInput } from '@aws-sdk/client-ec2';
import {
  DescribeListenersCommand,
  DescribeTargetHealthCommand,
  ModifyListenerCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { FleetSimulator } from '../../../rehearsal/simulator';
import { BLUE_TG, GONE_AMI, GREEN_TG, LISTENER, LT_ID, NEW_AMI, OLD_AMI, world } from './fixtures';
import { clients, rejection, simulate } from './harness';

let sim: FleetSimulator;
let uninstall: () => void;
beforeEach(() => ({ sim, uninstall } = simulate({ instances: 4 })));
afterEach(() => uninstall());

describe('images', () => {
  it('describes images by id with state, creation date, name and tags', async () => {
    const out = await clients.ec2.send(new DescribeImagesCommand({ ImageIds: [NEW_AMI] }));
    expect(out.Images).toEqual([
      expect.objectContaining({
        ImageId: NEW_AMI,
        State: 'available',
        Name: 'web-1.1.0',
        CreationDate: '2029-12-29T00:00:00.000Z',
        Tags: [{ Key: 'Name', Value: 'web-1.1.0' }],
      }),
    ]);
  });

  it('filters by owner and image id, leaving out what does not exist', async () => {
    const out = await clients.ec2.send(
      new DescribeImagesCommand({
        Owners: ['self'],
        Filters: [{ Name: 'image-id', Values: [NEW_AMI, GONE_AMI, 'ami-0eeeeeeeeeeeeeeee'] }],
      }),
    );
    expect(out.Images?.map((i) => i.ImageId)).toEqual([NEW_AMI]);
    const other = await clients.ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] }));
    expect(other.Images).toEqual([]);
  });

  it("leaves another account's images out under Owners: ['self'], and shows them without Owners", async () => {
    uninstall();
    const AMAZON = '137112412989';
    const PUBLIC_AMI = 'ami-0eeeeeeeeeeeeeeee';
    ({ sim, uninstall } = simulate({
      ...world(),
      images: [
        { imageId: OLD_AMI, healthy: true, errorRate: 0.001, p99LatencyMs: 200 },
        { imageId: PUBLIC_AMI, healthy: true, errorRate: 0.001, p99LatencyMs: 200, ownerId: AMAZON },
      ],
    }));
    const ids = async (input: DescribeImagesCommandInput) =>
      (await clients.ec2.send(new DescribeImagesCommand(input))).Images?.map((i) => i.ImageId);
    const both = { Filters: [{ Name: 'image-id', Values: [OLD_AMI, PUBLIC_AMI] }] };
    expect(await ids({ Owners: ['self'], ...both })).toEqual([OLD_AMI]);
    expect(await ids({ Owners: ['123456789012'], ...both })).toEqual([OLD_AMI]);
    expect(await ids({ Owners: [AMAZON], ...both })).toEqual([PUBLIC_AMI]);
    expect(await ids({ Owners: ['self', AMAZON], ...both })).toEqual([OLD_AMI, PUBLIC_AMI]);
    expect(await ids(both)).toEqual([OLD_AMI, PUBLIC_AMI]);
    const [image] =
      (await clients.ec2.send(new DescribeImagesCommand({ ImageIds: [PUBLIC_AMI] }))).Images ?? [];
    expect(image).toMatchObject({ OwnerId: AMAZON, Public: true });
    // This account may tag it; the tags are its own.
    await clients.ec2.send(
      new CreateTagsCommand({ Resources: [PUBLIC_AMI], Tags: [{ Key: 'k', Value: 'v' }] }),
    );
    expect((await clients.ec2.send(new DescribeImagesCommand(both))).Images?.[1]?.Tags).toEqual([
      { Key: 'k', Value: 'v' },
    ]);
    expect((await rejection(clients.ec2.send(new DescribeImagesCommand({ Owners: ['me'] })))).name).toBe(
      'InvalidUserID.Malformed',
    );
  });

  it('filters by tag key and by tag value, each filter narrowing the others', async () => {
    const byKey = await clients.ec2.send(
      new DescribeImagesCommand({ Filters: [{ Name: 'tag-key', Values: ['Name'] }] }),
    );
    expect(byKey.Images?.map((i) => i.ImageId).sort()).toEqual([NEW_AMI, OLD_AMI].sort());
    const byValue = await clients.ec2.send(
      new DescribeImagesCommand({ Filters: [{ Name: 'tag:Name', Values: ['web-1.1.0', 'web-9'] }] }),
    );
    expect(byValue.Images?.map((i) => i.ImageId)).toEqual([NEW_AMI]);
    const both = await clients.ec2.send(
      new DescribeImagesCommand({
        Filters: [
          { Name: 'tag-key', Values: ['Name'] },
          { Name: 'image-id', Values: [OLD_AMI] },
        ],
      }),
    );
    expect(both.Images?.map((i) => i.ImageId)).toEqual([OLD_AMI]);
    const none = await clients.ec2.send(
      new DescribeImagesCommand({ Filters: [{ Name: 'tag-key', Values: ['nope'] }] }),
    );
    expect(none.Images).toEqual([]);
  });

  it.each([
    ['another filter', { Name: 'architecture', Values: ['x86_64'] }],
    ['a wildcard', { Name: 'image-id', Values: ['ami-0b*'] }],
  ])('refuses %s as not simulated', async (_, filter) => {
    const error = await rejection(clients.ec2.send(new DescribeImagesCommand({ Filters: [filter] })));
    expect(error.name).toBe('SimulatorUnsupportedError');
  });

  it('fails when an id is malformed or unknown, and a gone image is unknown', async () => {
    expect(
      (await rejection(clients.ec2.send(new DescribeImagesCommand({ ImageIds: ['ami-nope'] })))).name,
    ).toBe('InvalidAMIID.Malformed');
    const gone = await rejection(clients.ec2.send(new DescribeImagesCommand({ ImageIds: [GONE_AMI] })));
    expect(gone).toMatchObject({ name: 'InvalidAMIID.NotFound', $fault: 'client', $metadata: {} });
    expect(gone.message).toContain(GONE_AMI);
  });

  it('creates and deletes tags; a value in DeleteTags must match', async () => {
    await clients.ec2.send(
      new CreateTagsCommand({ Resources: [OLD_AMI], Tags: [{ Key: 'keep', Value: 'yes' }] }),
    );
    await clients.ec2.send(
      new DeleteTagsCommand({ Resources: [OLD_AMI], Tags: [{ Key: 'keep', Value: 'no' }] }),
    );
    let tags = (await clients.ec2.send(new DescribeImagesCommand({ ImageIds: [OLD_AMI] }))).Images?.[0]?.Tags;
    expect(tags).toContainEqual({ Key: 'keep', Value: 'yes' });
    await clients.ec2.send(new DeleteTagsCommand({ Resources: [OLD_AMI], Tags: [{ Key: 'keep' }] }));
    tags = (await clients.ec2.send(new DescribeImagesCommand({ ImageIds: [OLD_AMI] }))).Images?.[0]?.Tags;
    expect(tags?.map((t) => t.Key)).toEqual(['Name']);
  });

  it('fails when a tag key is reserved (aws:) or the image is unknown', async () => {
    const reserved = await rejection(
      clients.ec2.send(new CreateTagsCommand({ Resources: [OLD_AMI], Tags: [{ Key: 'aws:x', Value: '1' }] })),
    );
    expect(reserved.name).toBe('InvalidParameterValue');
    const unknown = await rejection(
      clients.ec2.send(
        new CreateTagsCommand({ Resources: ['ami-0eeeeeeeeeeeeeeee'], Tags: [{ Key: 'a', Value: '1' }] }),
      ),
    );
    expect(unknown.name).toBe('InvalidAMIID.NotFound');
  });
});

describe('launch templates', () => {
  const createFrom = (
    SourceVersion: string | undefined,
    LaunchTemplateData: object,
    VersionDescription?: string,
  ) =>
    clients.ec2.send(
      new CreateLaunchTemplateVersionCommand({
        LaunchTemplateId: LT_ID,
        ...(SourceVersion !== undefined ? { SourceVersion } : {}),
        ...(VersionDescription !== undefined ? { VersionDescription } : {}),
        LaunchTemplateData,
      }),
    );

  it('describes the template by id or name with its default and latest version numbers', async () => {
    await createFrom('1', { ImageId: NEW_AMI });
    const byId = await clients.ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: [LT_ID] }));
    const byName = await clients.ec2.send(
      new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: ['immutable-dev-web'] }),
    );
    for (const out of [byId, byName]) {
      expect(out.LaunchTemplates).toEqual([
        expect.objectContaining({
          LaunchTemplateId: LT_ID,
          LaunchTemplateName: 'immutable-dev-web',
          DefaultVersionNumber: 1,
          LatestVersionNumber: 2,
        }),
      ]);
    }
    expect(sim.apiCalls.DescribeLaunchTemplates).toBe(2);
  });

  it.each([
    ['an unknown id', { LaunchTemplateIds: ['lt-0fffffffffffffff0'] }, 'InvalidLaunchTemplateId.NotFound'],
    ['an unknown name', { LaunchTemplateNames: ['other'] }, 'InvalidLaunchTemplateName.NotFoundException'],
  ])('fails to describe %s', async (_, input, name) => {
    const error = await rejection(clients.ec2.send(new DescribeLaunchTemplatesCommand(input)));
    expect(error.name).toBe(name);
  });

  it('numbers new versions max + 1 from a source version number, keeping the source data', async () => {
    const v2 = await createFrom('1', { ImageId: NEW_AMI }, 'web 1.1.0');
    expect(v2.LaunchTemplateVersion).toMatchObject({
      VersionNumber: 2,
      DefaultVersion: false,
      VersionDescription: 'web 1.1.0',
    });
    expect(v2.Warning).toBeUndefined();
    const v3 = await createFrom('2', { InstanceType: 't3.large' });
    expect(v3.LaunchTemplateVersion).toMatchObject({
      VersionNumber: 3,
      LaunchTemplateData: { ImageId: NEW_AMI, InstanceType: 't3.large' },
    });
    // The default is still version 1: a version built from it runs the old image
    const v4 = await createFrom('1', { InstanceType: 't3.small' });
    expect(v4.LaunchTemplateVersion).toMatchObject({
      VersionNumber: 4,
      LaunchTemplateData: { ImageId: OLD_AMI, InstanceType: 't3.small' },
    });
  });

  it('answers a repeated ClientToken with the version it created, and refuses it for another request', async () => {
    const request = {
      LaunchTemplateId: LT_ID,
      SourceVersion: '1',
      LaunchTemplateData: { ImageId: NEW_AMI },
      ClientToken: 'a'.repeat(64),
    };
    const first = await clients.ec2.send(new CreateLaunchTemplateVersionCommand(request));
    const again = await clients.ec2.send(new CreateLaunchTemplateVersionCommand(request));
    expect(again.LaunchTemplateVersion?.VersionNumber).toBe(first.LaunchTemplateVersion?.VersionNumber);
    const other = await rejection(
      clients.ec2.send(
        new CreateLaunchTemplateVersionCommand({ ...request, LaunchTemplateData: { ImageId: OLD_AMI } }),
      ),
    );
    expect(other.name).toBe('IdempotentParameterMismatch');
    const next = await clients.ec2.send(
      new CreateLaunchTemplateVersionCommand({ ...request, ClientToken: 'b'.repeat(64) }),
    );
    expect(next.LaunchTemplateVersion?.VersionNumber).toBe(3);
  });

  it.each(['$Default', '$Latest'])(
    'refuses %s as SourceVersion, which the API reference does not document',
    async (alias) => {
      const error = await rejection(createFrom(alias, { ImageId: NEW_AMI }));
      expect(error.message).toMatch(
        /SourceVersion .* is not simulated: the API reference documents a version number/,
      );
    },
  );

  it('answers a version whose AMI is gone with a Warning, as EC2 does', async () => {
    const out = await clients.ec2.send(
      new CreateLaunchTemplateVersionCommand({
        LaunchTemplateId: LT_ID,
        LaunchTemplateData: { ImageId: GONE_AMI },
      }),
    );
    expect(out.Warning?.Errors).toEqual([expect.objectContaining({ Code: 'InvalidAMIID.NotFound' })]);
  });

  it.each([
    [
      'the template id is unknown',
      { LaunchTemplateId: 'lt-0fffffffffffffff0' },
      'InvalidLaunchTemplateId.NotFound',
    ],
    ['the template id is malformed', { LaunchTemplateId: 'lt-x' }, 'InvalidLaunchTemplateId.Malformed'],
    [
      'the source version is unknown',
      { LaunchTemplateId: LT_ID, SourceVersion: '7' },
      'InvalidLaunchTemplateId.VersionNotFound',
    ],
  ])('fails when %s', async (_, input, name) => {
    const error = await rejection(
      clients.ec2.send(
        new CreateLaunchTemplateVersionCommand({ ...input, LaunchTemplateData: { ImageId: NEW_AMI } }),
      ),
    );
    expect(error.name).toBe(name);
  });
});

describe('listener weights and target health', () => {
  it('describes the weighted forward action', async () => {
    const out = await clients.elbv2.send(new DescribeListenersCommand({ ListenerArns: [LISTENER] }));
    expect(out.Listeners?.[0]?.DefaultActions?.[0]).toMatchObject({
      Type: 'forward',
      ForwardConfig: {
        TargetGroups: [
          { TargetGroupArn: BLUE_TG, Weight: 100 },
          { TargetGroupArn: GREEN_TG, Weight: 0 },
        ],
      },
    });
  });

  it('shifts weights, which the snapshot reports in percent', async () => {
    await clients.elbv2.send(
      new ModifyListenerCommand({
        ListenerArn: LISTENER,
        DefaultActions: [
          {
            Type: 'forward',
            ForwardConfig: {
              TargetGroups: [
                { TargetGroupArn: BLUE_TG, Weight: 95 },
                { TargetGroupArn: GREEN_TG, Weight: 5 },
              ],
            },
          },
        ],
      }),
    );
    expect(sim.snapshot().weights).toEqual({ blue: 95, green: 5 });
  });

  it.each([
    ['a weight is above 999', [{ TargetGroupArn: BLUE_TG, Weight: 1000 }], 'ValidationError'],
    ['a weight is negative', [{ TargetGroupArn: BLUE_TG, Weight: -1 }], 'ValidationError'],
    [
      'a target group is unknown',
      [{ TargetGroupArn: `${BLUE_TG}x`, Weight: 1 }],
      'TargetGroupNotFoundException',
    ],
    [
      'a target group is listed twice',
      [
        { TargetGroupArn: BLUE_TG, Weight: 1 },
        { TargetGroupArn: BLUE_TG, Weight: 2 },
      ],
      'ValidationError',
    ],
  ])('fails when %s', async (_, TargetGroups, name) => {
    const error = await rejection(
      clients.elbv2.send(
        new ModifyListenerCommand({
          ListenerArn: LISTENER,
          DefaultActions: [{ Type: 'forward', ForwardConfig: { TargetGroups } }],
        }),
      ),
    );
    expect(error.name).toBe(name);
    expect(sim.snapshot().weights).toEqual({ blue: 100, green: 0 });
  });

  it('fails when the listener is unknown', async () => {
    const error = await rejection(
      clients.elbv2.send(new DescribeListenersCommand({ ListenerArns: [`${LISTENER}0`] })),
    );
    expect(error).toMatchObject({ name: 'ListenerNotFoundException', Code: 'ListenerNotFound' });
  });

  it('reports each registered target', async () => {
    const out = await clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: BLUE_TG }));
    expect(out.TargetHealthDescriptions?.map((d) => d.TargetHealth?.State)).toEqual([
      'healthy',
      'healthy',
      'healthy',
      'healthy',
    ]);
    const error = await rejection(
      clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: `${GREEN_TG}0` })),
    );
    expect(error.name).toBe('TargetGroupNotFoundException');
  });
});
