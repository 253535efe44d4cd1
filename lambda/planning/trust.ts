import type { Images, ImageView } from '../fleet/ports';
import type { PromotionStore } from '../promotion/ports';
import type { ImageTrust } from '../shared/settings';
import { ImageNotFound, ImageNotScanned, ImageNotTrusted } from '../shared/errors';
import { scanRefusal } from '../shared/scan';

export interface TrustDeps {
  readonly images: Pick<Images, 'describe'>;
  /** The image factory's announcements, as this environment recorded them. */
  readonly factory: Pick<PromotionStore, 'factoryImage'>;
}

/**
 * The image, if this environment may run it; otherwise a named refusal that says why. Three
 * checks, none of them a tag (which anyone allowed to tag could write):
 * - EC2 says it exists, is available and is owned by a trusted account (public and shared images
 *   of other accounts are refused);
 * - the image factory announced it here: its announcement, which only the factory's account can
 *   deliver, was made after Image Builder's own record named the factory's pipeline as its source
 *   (GetImage's sourcePipelineArn; Image Builder resources are not readable from another account,
 *   so the announcement carries that answer across);
 * - its vulnerability scan completed and found nothing at or above this environment's threshold,
 *   which may be stricter than the factory's or an upstream environment's.
 */
export async function trustedImage(
  imageId: string,
  trust: ImageTrust,
  environment: string,
  d: TrustDeps,
): Promise<ImageView> {
  const image = await d.images.describe(imageId);
  if ('missing' in image) {
    const why = image.code ? ` (${image.code})` : '';
    throw new ImageNotFound(`${imageId} does not exist in this account and region${why}`);
  }
  if (image.state !== 'available')
    throw new ImageNotFound(`${imageId} is ${image.state ?? 'not available'}, not available`);
  if (!image.owner || !trust.owners.includes(image.owner)) {
    throw new ImageNotTrusted(
      `${imageId} is owned by ${image.owner ?? 'an account EC2 did not name'}; ${environment} runs only images ` +
        `owned by ${trust.owners.join(' or ')} (the image factory's account, and any listed in images.trustedOwners)`,
    );
  }
  const announced = await d.factory.factoryImage(imageId);
  if (!announced) {
    throw new ImageNotTrusted(
      `${imageId} was not announced by the image factory; ${environment} runs only images the factory's pipeline built`,
    );
  }
  const refusal = scanRefusal(announced, trust.failOnSeverity);
  if (refusal) {
    throw new ImageNotScanned(
      `${imageId} (${announced.imageArn}) ${refusal}, which ${environment} refuses (images.failOnSeverity)`,
    );
  }
  return image;
}
