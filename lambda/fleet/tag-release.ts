import { keepTag, releasedTag } from '../shared/tags';
import type { WorkflowSettings } from '../shared/settings';
import type { ExecutionRef, FleetRecord } from '../shared/documents';
import type { Images } from './ports';

/** What Tag Released Image receives: the fleet record before and after the rollout. */
export interface TagReleaseEvent {
  readonly settings: WorkflowSettings;
  readonly execution: ExecutionRef;
  readonly before: FleetRecord;
  readonly after: FleetRecord;
  readonly dryRun?: boolean;
}

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
export async function tagRelease(e: TagReleaseEvent, d: { images: Images }): Promise<TaggedRelease> {
  const env = e.settings.environment;
  const keep = keepTag(env);
  const { after } = e;
  const needed = [after.releasedImage, after.previousImage].filter((i): i is string => Boolean(i));
  const leaving = [e.before.releasedImage, e.before.previousImage].filter(
    (i): i is string => Boolean(i) && !needed.includes(i as string),
  );
  const tags = await d.images.tagsOf([...needed, ...leaving]);
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
    await d.images.addTags([after.releasedImage], { [releasedTag(env)]: after.releasedAt });
  if (unkept.length) await d.images.addTags(unkept, { [keep]: 'true' });
  if (dropped.length) await d.images.removeTags(dropped, [keep]);
  return result;
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
