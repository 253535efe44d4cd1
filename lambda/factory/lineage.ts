import type { Images } from '../fleet/ports';
import { imageReleasedEventSchema } from '../promotion/upstream-release';
import type { EnvironmentName } from '../shared/environments';
import { keepTag, releasedTag } from '../shared/tags';
import { parseEvent } from '../shared/parse-event';

export interface LineageDeps {
  /** The factory's AMIs in the region the release happened in. */
  readonly images: (region: string) => Images;
  /**
   * Each environment of the product and its account: a release of any other environment, or
   * announced from any other account, is ignored.
   */
  readonly accounts: Readonly<Partial<Record<EnvironmentName, string>>>;
}

export interface TaggedRelease {
  readonly environment: EnvironmentName;
  /** The images that environment may roll back to, kept out of the lifecycle policy: released and previous. */
  readonly kept: readonly string[];
  /** The released image, when its release time was written. */
  readonly stamped?: string;
  /** The kept images that were missing the keep tag. */
  readonly tagged: readonly string[];
  /** The images that environment can no longer return to, given back to the lifecycle policy. */
  readonly released: readonly string[];
}

/**
 * An environment released an image (`Image Released`): the factory, which owns every AMI, marks
 * the release on it and keeps exactly the images that environment may still return to — the
 * released one and the one before — out of the lifecycle policy. Tags are per environment, so
 * one environment letting go of an image never exposes it while another still needs it. Only
 * the owner can tag an AMI, so the environments announce and the factory tags, whatever account
 * each runs in; it writes only what differs.
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_Tags.html
 */
export async function tagLineage(
  event: unknown,
  d: LineageDeps,
): Promise<TaggedRelease | { ignored: string }> {
  const e = parseEvent(imageReleasedEventSchema, event, 'Image Released');
  const r = e.detail;
  // Any name has the shape of an environment's: only the product's own are tagged for.
  const expected = Object.hasOwn(d.accounts, r.environment) ? d.accounts[r.environment] : undefined;
  if (expected === undefined) {
    const known = Object.keys(d.accounts).join(', ');
    return {
      ignored: `a release of ${r.environment}, which is not an environment of this product (${known})`,
    };
  }
  if (expected !== e.account) {
    return { ignored: `a release of ${r.environment} from account ${e.account}, not ${expected}` };
  }
  const images = d.images((event as { region?: string }).region ?? '');
  const keep = keepTag(r.environment);
  const needed = [r.imageId, ...(r.previousImage ? [r.previousImage] : [])];
  const keptBefore = await images.taggedWith(keep);
  const leaving = keptBefore.filter((i) => !needed.includes(i));
  // Only images the factory owns come back: an AMI from elsewhere is never tagged.
  const tags = await images.tagsOf(needed);
  const has = (image: string, key: string, value?: string) => {
    const found = tags.get(image)?.get(key);
    return found !== undefined && (value === undefined || found === value);
  };
  const stamp = tags.has(r.imageId) && !has(r.imageId, releasedTag(r.environment), r.releasedAt);
  const unkept = needed.filter((i) => tags.has(i) && !has(i, keep, 'true'));
  if (stamp) await images.addTags([r.imageId], { [releasedTag(r.environment)]: r.releasedAt });
  if (unkept.length) await images.addTags(unkept, { [keep]: 'true' });
  if (leaving.length) await images.removeTags(leaving, [keep]);
  return {
    environment: r.environment,
    kept: needed.filter((i) => tags.has(i)),
    ...(stamp ? { stamped: r.imageId } : {}),
    tagged: unkept,
    released: leaving,
  };
}
