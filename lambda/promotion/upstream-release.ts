import * as z from 'zod/mini';
import type { EnvironmentName } from '../shared/environments';
import { PRODUCT_EVENTS, imageReleasedDetailSchema } from '../shared/events';
import type { Executions } from '../triggers/ports';
import type { PromotionStore } from './ports';
import { parseEvent } from '../shared/parse-event';
import type { PromotionInput } from '../shared/promotion-documents';

/**
 * The upstream environment's `Image Released`, forwarded to this environment's bus when it runs
 * in another account or region. It crosses that boundary, so it is parsed, not trusted.
 */
export const imageReleasedEventSchema = z.object({
  id: z.string(),
  source: z.literal(PRODUCT_EVENTS.imageReleased.source),
  'detail-type': z.literal(PRODUCT_EVENTS.imageReleased.detailType),
  account: z.string(),
  time: z.string(),
  detail: imageReleasedDetailSchema,
});

export interface UpstreamReleaseDeps {
  readonly store: Pick<PromotionStore, 'recordUpstreamRelease' | 'latestUpstreamRelease' | 'localImage'>;
  /** Executions of this environment's promotion state machine. */
  readonly promotions: Executions;
  /** The environment this one promotes from, and its account. */
  readonly from: EnvironmentName;
  readonly upstreamAccount: string;
  readonly soakMinutes: number;
}

export type UpstreamReleaseResult =
  | { readonly promotion: true; readonly executionArn: string; readonly soakUntil: string }
  | { readonly promotion: false; readonly reason: string };

/**
 * The upstream environment released an image: record it as its current release (a promotion
 * soaking meanwhile checks against it, so a rollback upstream cancels that promotion), and,
 * when the release is a canary that passed, start this environment's promotion of it.
 */
export async function onUpstreamRelease(
  event: unknown,
  d: UpstreamReleaseDeps,
): Promise<UpstreamReleaseResult> {
  const e = parseEvent(imageReleasedEventSchema, event, 'Image Released');
  const r = e.detail;
  if (r.environment !== d.from || e.account !== d.upstreamAccount) {
    return {
      promotion: false,
      reason: `a release of ${r.environment} from account ${e.account}; this environment promotes from ${d.from} (${d.upstreamAccount}) only`,
    };
  }
  const latest = await d.store.latestUpstreamRelease(d.from);
  // Events can arrive out of order: an older release never replaces a newer one.
  if (latest && Date.parse(latest.releasedAt) > Date.parse(r.releasedAt)) {
    return {
      promotion: false,
      reason: `${d.from} released ${latest.imageId} at ${latest.releasedAt}, after this release of ${r.imageId} (${r.releasedAt})`,
    };
  }
  // The upstream environment names its own region's AMI; this one runs its region's copy.
  const local = await d.store.localImage(r.imageId);
  const imageId = local ?? r.imageId;
  await d.store.recordUpstreamRelease({
    environment: r.environment,
    imageId,
    ...(imageId !== r.imageId ? { upstreamImageId: r.imageId } : {}),
    action: r.action,
    releasedAt: r.releasedAt,
    execution: r.execution,
  });
  if (r.action !== 'canary') {
    return {
      promotion: false,
      reason: `${d.from} rolled back to ${r.imageId}; a promotion of anything else is cancelled at its next check`,
    };
  }
  if (!local) {
    return {
      promotion: false,
      reason: `${d.from} released ${r.imageId}, which the image factory never announced here; nothing to promote`,
    };
  }
  const soakUntil = new Date(Date.parse(r.releasedAt) + d.soakMinutes * 60_000).toISOString();
  const input: PromotionInput = {
    imageId,
    from: d.from,
    releasedAt: r.releasedAt,
    soakUntil,
    releasedBy: r.execution,
  };
  // One promotion per announcement, however often EventBridge delivers it.
  const executionArn = await d.promotions.start(`promote-${imageId}-${e.id}`, input);
  return { promotion: true, executionArn, soakUntil };
}
