import { CreateTagsCommand, DeleteTagsCommand, DescribeImagesCommand } from '@aws-sdk/client-ec2';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { keepTag, releasedTag } from '../shared/tags';
import type { WorkflowSettings } from '../shared/settings';
import type { FleetRecord } from '../shared/documents';

/**
 * Mark the released image with its release time (the promotion gate of the next environment
 * reads it) and keep exactly the images a rollback may need — the released one and the one
 * before — out of the bake pipeline's lifecycle policy. Tags are per environment, so one
 * environment letting go of an image never exposes it while another still needs it.
 *
 * Every rollout ends with this, not only a release: an execution stopped between promoting and
 * tagging, or a tagging step that ran out of retries, must not leave the released image without
 * its tags (the lifecycle policy would delete it, the next environment refuse it). It reads the
 * tags first and writes only what differs, so a rollout that changed nothing writes nothing.
 */
export async function tagRelease(
  e: { settings: WorkflowSettings; before: FleetRecord; after: FleetRecord; dryRun?: boolean },
  d: { ec2: EC2Client },
): Promise<TaggedRelease> {
  const env = e.settings.environment;
  const keep = keepTag(env);
  const { after } = e;
  const needed = [after.releasedImage, after.previousImage].filter((i): i is string => Boolean(i));
  const leaving = [e.before.releasedImage, e.before.previousImage].filter(
    (i): i is string => Boolean(i) && !needed.includes(i as string),
  );
  const tags = await tagsOf(d.ec2, [...needed, ...leaving]);
  const has = (image: string, key: string, value?: string) => {
    const found = tags.get(image)?.get(key);
    return found !== undefined && (value === undefined || found === value);
  };
  // The image a deploy put in place was never released by a rollout here: the gate must not pass it.
  const stamp = after.releasedAt && !has(after.releasedImage, releasedTag(env), after.releasedAt);
  // A deregistered image has no tags to keep or drop.
  const unkept = needed.filter((i) => tags.has(i) && !has(i, keep, 'true'));
  const dropped = leaving.filter((i) => has(i, keep));
  const result: TaggedRelease = {
    kept: needed,
    ...(stamp ? { stamped: after.releasedImage } : {}),
    tagged: unkept,
    released: dropped,
  };
  if (e.dryRun) return { ...result, dryRun: true };
  if (stamp && after.releasedAt)
    await d.ec2.send(
      new CreateTagsCommand({
        Resources: [after.releasedImage],
        Tags: [{ Key: releasedTag(env), Value: after.releasedAt }],
      }),
    );
  if (unkept.length)
    await d.ec2.send(new CreateTagsCommand({ Resources: unkept, Tags: [{ Key: keep, Value: 'true' }] }));
  if (dropped.length) await d.ec2.send(new DeleteTagsCommand({ Resources: dropped, Tags: [{ Key: keep }] }));
  return result;
}

/** Each existing image's tags; an image that no longer exists is absent. */
async function tagsOf(ec2: EC2Client, images: string[]): Promise<Map<string, Map<string, string>>> {
  // A filter, unlike ImageIds, skips a deregistered image instead of failing the whole call.
  const out = await ec2.send(
    new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: 'image-id', Values: images }] }),
  );
  return new Map(
    (out.Images ?? []).map((i) => [
      i.ImageId ?? '',
      new Map((i.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
    ]),
  );
}

export interface TaggedRelease {
  /** The images a rollback may need, kept out of the lifecycle policy: released and previous. */
  readonly kept: string[];
  /** The released image, when its release time was (re)written. */
  readonly stamped?: string;
  /** The kept images that were missing the keep tag. */
  readonly tagged: string[];
  /** The images no rollback can reach any more, given back to the lifecycle policy. */
  readonly released: string[];
  /** A dry run: these are what it would have written; nothing was. */
  readonly dryRun?: true;
}
