import * as z from 'zod/mini';
import { PRODUCT_EVENTS, imageAvailableDetailSchema } from '../shared/events';
import { scanRefusal } from '../shared/scan';
import type { Severity } from '../shared/severities';
import type { FactoryImage, PromotionStore } from '../promotion/ports';
import type { Executions } from './ports';
import { parseEvent } from '../shared/parse-event';

/**
 * The image factory's `Image Available`, forwarded to this environment's bus when the factory
 * runs in another account or region. It crosses that boundary, so it is parsed, not trusted.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html
 */
export const imageAvailableEventSchema = z.object({
  id: z.string(),
  source: z.literal(PRODUCT_EVENTS.imageAvailable.source),
  'detail-type': z.literal(PRODUCT_EVENTS.imageAvailable.detailType),
  account: z.string(),
  time: z.string(),
  detail: imageAvailableDetailSchema,
});

export interface ImageAvailableDeps {
  readonly store: Pick<PromotionStore, 'recordFactoryImage'>;
  /** Executions of this environment's rollout state machine. */
  readonly executions: Executions;
  /** This environment's region: the AMI it runs is the copy distributed here. */
  readonly region: string;
  /** Lowest Inspector severity that keeps an image out of this environment. */
  readonly failOnSeverity: Severity;
  /** Whether this environment starts a canary of every image the factory announces (the first one does). */
  readonly takesFactoryImages: boolean;
  /** The factory's account; an announcement from any other is refused. */
  readonly factoryAccount: string;
  readonly now: Date;
}

export type ImageAvailableResult =
  | { readonly started: true; readonly imageId: string; readonly executionArn: string }
  | { readonly started: false; readonly recorded: boolean; readonly reason: string };

/**
 * The factory announced an image: record it (every environment keeps the factory's announcements,
 * the record that an AMI is the factory's), and, in the environment that takes the factory's
 * images, start a canary of this region's copy unless its scan found what this environment's
 * gate refuses, or it was never scanned at all.
 */
export async function onImageAvailable(event: unknown, d: ImageAvailableDeps): Promise<ImageAvailableResult> {
  const e = parseEvent(imageAvailableEventSchema, event, 'Image Available');
  if (e.account !== d.factoryAccount) {
    return {
      started: false,
      recorded: false,
      reason: `an Image Available event from account ${e.account}, not the image factory's (${d.factoryAccount}); ignored`,
    };
  }
  const ami = e.detail.amis.find((a) => a.region === d.region)?.imageId;
  if (!ami) {
    return { started: false, recorded: false, reason: `${e.detail.imageArn} has no AMI in ${d.region}` };
  }
  const image: FactoryImage = { ...e.detail, imageId: ami, announcedAt: d.now.toISOString() };
  await d.store.recordFactoryImage(image);
  if (!d.takesFactoryImages) {
    return {
      started: false,
      recorded: true,
      reason: `recorded ${ami}; this environment takes released images only`,
    };
  }
  const refusal = scanRefusal(e.detail, d.failOnSeverity);
  if (refusal)
    return {
      started: false,
      recorded: true,
      reason: `${e.detail.imageArn} (${ami}) ${refusal}; not rolled out`,
    };
  // EventBridge may deliver an event twice; the event id makes the start idempotent.
  const executionArn = await d.executions.start(`image-${e.id}`, {
    action: 'canary',
    imageId: ami,
    trigger: 'image-factory',
    reason: `the image factory baked ${e.detail.imageArn}`,
  });
  return { started: true, imageId: ami, executionArn };
}
