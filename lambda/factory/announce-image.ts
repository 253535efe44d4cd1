import * as z from 'zod/mini';
import type { ProductEvents } from '../promotion/ports';
import { PRODUCT_EVENTS } from '../shared/events';
import type { ImageAvailableDetail } from '../shared/events';
import type { ImageBuilder } from './ports';
import { parseEvent } from '../shared/parse-event';

/**
 * "EC2 Image Builder Image State Change". The event names the image build version ARN in
 * `resources`, not the AMI id: GetImage resolves it.
 * @see https://docs.aws.amazon.com/imagebuilder/latest/userguide/integ-eventbridge.html
 */
export const imageStateChangeSchema = z.object({
  source: z.literal('aws.imagebuilder'),
  'detail-type': z.literal('EC2 Image Builder Image State Change'),
  id: z.string(),
  resources: z
    .array(z.string().check(z.regex(/^arn:aws[a-z-]*:imagebuilder:[^:]+:\d{12}:image\//)))
    .check(z.minLength(1)),
  detail: z.object({ state: z.object({ status: z.string() }) }),
});

export interface AnnounceImageDeps {
  readonly imageBuilder: ImageBuilder;
  readonly events: ProductEvents;
  /** The factory's pipeline: an image built by anything else is not announced. */
  readonly pipelineArn: string;
  readonly recipeVersion: string;
  readonly sourceRevision: string;
}

export type AnnounceImageResult =
  | { readonly announced: true; readonly detail: ImageAvailableDetail }
  | { readonly announced: false; readonly reason: string };

/**
 * A build of the factory's pipeline is AVAILABLE (tested, scanned and distributed): announce it
 * to every environment (`Image Available`), with its AMI in each region and its scan's findings.
 * Each environment gates what it accepts at its own threshold; the first one starts a canary.
 */
export async function announceImage(event: unknown, d: AnnounceImageDeps): Promise<AnnounceImageResult> {
  const e = parseEvent(imageStateChangeSchema, event, 'Image Builder image state change');
  if (e.detail.state.status !== 'AVAILABLE')
    return { announced: false, reason: `image is ${e.detail.state.status}` };
  const arn = e.resources[0] as string;
  const image = await d.imageBuilder.image(arn);
  // The rule matches the pipeline's image names; Image Builder's own record decides.
  if (image.pipelineArn !== d.pipelineArn) {
    return {
      announced: false,
      reason: `${arn} was built by ${image.pipelineArn ?? 'no pipeline'}, not ${d.pipelineArn}`,
    };
  }
  const amis = image.amis.flatMap((a) =>
    a.region && a.imageId ? [{ region: a.region, imageId: a.imageId }] : [],
  );
  if (amis.length === 0) return { announced: false, reason: `${arn} distributed no AMI` };
  const scanned = image.scanStatus === 'COMPLETED';
  const counts = scanned ? await d.imageBuilder.findings(arn) : { LOW: 0, MEDIUM: 0, HIGH: 0, CRITICAL: 0 };
  const detail: ImageAvailableDetail = {
    imageArn: arn,
    pipelineArn: d.pipelineArn,
    amis,
    findings: {
      scanned,
      critical: counts.CRITICAL,
      high: counts.HIGH,
      medium: counts.MEDIUM,
      low: counts.LOW,
    },
    recipeVersion: d.recipeVersion,
    sourceRevision: d.sourceRevision,
  };
  await d.events.publish(
    PRODUCT_EVENTS.imageAvailable.source,
    PRODUCT_EVENTS.imageAvailable.detailType,
    detail,
  );
  return { announced: true, detail };
}
