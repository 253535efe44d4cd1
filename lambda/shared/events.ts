import * as z from 'zod/mini';
import { AMI_ID, AMI_ID_RULE } from './ami';
import { ENVIRONMENT_NAME } from './environments';

/**
 * The product's own EventBridge events: what the image factory and each environment tell one
 * another. Emitters build the detail with these schemas' types; receivers parse it with them
 * (an event crosses an account boundary, so nothing in it is trusted unparsed).
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html
 */
export const PRODUCT_EVENTS = {
  /** The factory baked, tested and scanned an image and distributed it. */
  imageAvailable: { source: 'immutable.images', detailType: 'Image Available' },
  /** An environment released an image: a canary promoted, or a rollback flipped back. */
  imageReleased: { source: 'immutable.rollout', detailType: 'Image Released' },
} as const;

const amiId = z.string().check(z.regex(AMI_ID, { error: AMI_ID_RULE }));
const isoTime = z.string().check(z.refine((s) => !Number.isNaN(Date.parse(s))));
const count = z.number().check(z.int(), z.gte(0));

/** Findings of the factory's vulnerability scan, by severity; `scanned: false` when no scan completed. */
export const scanFindingsSchema = z.object({
  scanned: z.boolean(),
  critical: count,
  high: count,
  medium: count,
  low: count,
});
export type ScanFindings = z.infer<typeof scanFindingsSchema>;

export const imageAvailableDetailSchema = z.object({
  /** The image build version (`arn:…:image/<recipe>/<version>/<build>`). */
  imageArn: z.string().check(z.regex(/^arn:aws[a-z-]*:imagebuilder:[^:]+:\d{12}:image\//)),
  /** The pipeline that built it. */
  pipelineArn: z.string().check(z.regex(/^arn:aws[a-z-]*:imagebuilder:[^:]+:\d{12}:image-pipeline\//)),
  /** The AMI in each region it was distributed to. */
  amis: z.array(z.object({ region: z.string(), imageId: amiId })).check(z.minLength(1)),
  findings: scanFindingsSchema,
  /** Lineage: recipe version and the source revision the factory was deployed from. */
  recipeVersion: z.string(),
  sourceRevision: z.string(),
});
export type ImageAvailableDetail = z.infer<typeof imageAvailableDetailSchema>;

export const imageReleasedDetailSchema = z.object({
  /** The releasing environment's name (whether it is the one a receiver promotes from is the receiver's check). */
  environment: z.string().check(z.regex(ENVIRONMENT_NAME)),
  /** The AMI now serving all traffic there (in that environment's region). */
  imageId: amiId,
  /** The release before it, if any (a rollback may return to it). */
  previousImage: z.optional(amiId),
  /** How it was released: a canary that passed, or a rollback. Downstream promotes only canaries. */
  action: z.enum(['canary', 'rollback']),
  /** What started the rollout (console, schedule, image-factory, promotion). */
  trigger: z.string(),
  execution: z.string(),
  releasedAt: isoTime,
});
export type ImageReleasedDetail = z.infer<typeof imageReleasedDetailSchema>;
