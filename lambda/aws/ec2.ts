import { createHash } from 'node:crypto';
import {
  CreateLaunchTemplateVersionCommand,
  CreateTagsCommand,
  DeleteTagsCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeLaunchTemplatesCommand,
} from '@aws-sdk/client-ec2';
import type { EC2Client, Tag } from '@aws-sdk/client-ec2';
import type { Images, ImageView, Instances, LaunchTemplates, MissingImage } from '../fleet/ports';

/** EC2 accepts launch-template version descriptions of up to this many characters. */
const MAX_VERSION_DESCRIPTION = 255;

/**
 * A new launch-template version: the current definition (the default version, which
 * CloudFormation owns) with a concrete AMI. Concrete ids and explicit versions keep
 * instance-refresh rollback available, and a definition changed by a deploy reaches instances here.
 * The idempotency key becomes the request's ClientToken (at most 64 ASCII characters: its
 * SHA-256), so a retried step gets the version its first attempt created instead of another one.
 * @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/instance-refresh-rollback.html
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplateVersion.html (ClientToken)
 * @see https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-idempotency.html
 */
export class Ec2LaunchTemplates implements LaunchTemplates {
  constructor(private readonly ec2: EC2Client) {}

  async createVersion(
    templateId: string,
    imageId: string,
    description: string,
    idempotencyKey: string,
  ): Promise<string> {
    const source = await this.defaultVersion(templateId);
    const out = await this.ec2.send(
      new CreateLaunchTemplateVersionCommand({
        LaunchTemplateId: templateId,
        SourceVersion: source,
        VersionDescription: description.slice(0, MAX_VERSION_DESCRIPTION),
        LaunchTemplateData: { ImageId: imageId },
        ClientToken: createHash('sha256').update(idempotencyKey).digest('hex'),
      }),
    );
    const version = out.LaunchTemplateVersion?.VersionNumber;
    if (version === undefined)
      throw new Error(`CreateLaunchTemplateVersion on ${templateId} returned no version`);
    return String(version);
  }

  /**
   * The default version's number. CreateLaunchTemplateVersion documents SourceVersion as a
   * version, and every AWS example passes a number; unlike DescribeLaunchTemplateVersions it does
   * not document the `$Default` alias. Resolving it first also pins the source: a deploy that
   * moves the default meanwhile cannot change what this version is built from.
   * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplateVersion.html
   * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_LaunchTemplate.html
   */
  private async defaultVersion(templateId: string): Promise<string> {
    const out = await this.ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: [templateId] }));
    const number = out.LaunchTemplates?.[0]?.DefaultVersionNumber;
    if (number === undefined)
      throw new Error(`DescribeLaunchTemplates on ${templateId} returned no default version`);
    return String(number);
  }
}

/** DescribeInstances takes at most this many ids per call. */
const DESCRIBE_INSTANCES_BATCH = 200;

export class Ec2Instances implements Instances {
  constructor(private readonly ec2: EC2Client) {}

  async launchTimes(ids: readonly string[]): Promise<ReadonlyMap<string, Date>> {
    const times = new Map<string, Date>();
    for (let i = 0; i < ids.length; i += DESCRIBE_INSTANCES_BATCH) {
      const out = await this.ec2.send(
        new DescribeInstancesCommand({ InstanceIds: ids.slice(i, i + DESCRIBE_INSTANCES_BATCH) }),
      );
      for (const r of out.Reservations ?? []) {
        for (const inst of r.Instances ?? [])
          if (inst.InstanceId && inst.LaunchTime) times.set(inst.InstanceId, inst.LaunchTime);
      }
    }
    return times;
  }
}

export class Ec2Images implements Images {
  constructor(private readonly ec2: EC2Client) {}

  async describe(imageId: string): Promise<ImageView | MissingImage> {
    try {
      const out = await this.ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] }));
      const image = out.Images?.[0];
      if (!image) return { missing: true };
      return {
        id: image.ImageId ?? imageId,
        state: image.State,
        ...(image.OwnerId ? { owner: image.OwnerId } : {}),
        tags: tagMap(image.Tags),
      };
    } catch (e) {
      // EC2 refuses an id it cannot describe (unknown, malformed, unavailable) with InvalidAMIID.*.
      if (e instanceof Error && /^InvalidAMIID\./.test(e.name)) return { missing: true, code: e.name };
      throw e;
    }
  }

  /**
   * Images this account owns only (`Owners: ['self']`): lineage tags are stamped where the image
   * is owned, never on another account's public or shared image.
   * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeImages.html (Owners)
   */
  async tagsOf(imageIds: readonly string[]): Promise<ReadonlyMap<string, ReadonlyMap<string, string>>> {
    // A filter, unlike ImageIds, skips a deregistered image instead of failing the whole call.
    const out = await this.ec2.send(
      new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: 'image-id', Values: [...imageIds] }] }),
    );
    return new Map((out.Images ?? []).map((i) => [i.ImageId ?? '', tagMap(i.Tags)]));
  }

  async taggedWith(key: string): Promise<readonly string[]> {
    const ids: string[] = [];
    let NextToken: string | undefined;
    do {
      const out = await this.ec2.send(
        new DescribeImagesCommand({
          Owners: ['self'],
          Filters: [{ Name: 'tag-key', Values: [key] }],
          NextToken,
        }),
      );
      ids.push(...(out.Images ?? []).flatMap((i) => (i.ImageId ? [i.ImageId] : [])));
      NextToken = out.NextToken;
    } while (NextToken);
    return ids;
  }

  async addTags(imageIds: readonly string[], tags: Readonly<Record<string, string>>): Promise<void> {
    await this.ec2.send(
      new CreateTagsCommand({
        Resources: [...imageIds],
        Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
      }),
    );
  }

  async removeTags(imageIds: readonly string[], keys: readonly string[]): Promise<void> {
    await this.ec2.send(
      new DeleteTagsCommand({ Resources: [...imageIds], Tags: keys.map((Key) => ({ Key })) }),
    );
  }
}

const tagMap = (tags: Tag[] | undefined): ReadonlyMap<string, string> =>
  new Map((tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
