import type { ProductEvents } from '../promotion/ports';
import type { ExecutionRef, FleetRecord } from '../shared/documents';
import { PRODUCT_EVENTS } from '../shared/events';
import type { ImageReleasedDetail } from '../shared/events';
import type { WorkflowSettings } from '../shared/settings';
import type { StepSettings } from '../shared/step-settings';
import type { LedgerStore } from './ports';

/** What Announce Release receives: the fleet record as the rollout leaves it. */
export interface AnnounceEvent {
  readonly settings: StepSettings<'announce-release'>;
  readonly execution: ExecutionRef;
  readonly dryRun?: boolean;
}

export type Announced =
  | { readonly announced: true; readonly detail: ImageReleasedDetail }
  | { readonly announced: false; readonly reason: string };

/**
 * Tell the other environments and the image factory that this environment released an image
 * (`Image Released`): the next environment's promotion starts from it, and the factory keeps
 * the image (and the one before) out of its lifecycle policy. Every rollout ends with this, not
 * only a release: the record says whether its release was announced yet, so a release whose
 * execution stopped before announcing is announced by the next rollout, and none twice.
 */
export async function announceRelease(
  e: AnnounceEvent,
  d: { store: Pick<LedgerStore, 'fleet' | 'replaceFleet'>; events: ProductEvents; now: Date },
): Promise<Announced> {
  if (e.dryRun) return { announced: false, reason: 'a dry run announces nothing' };
  const record = await d.store.fleet();
  if (!record?.releasedAt || !record.releasedBy)
    return { announced: false, reason: 'no release to announce' };
  if (record.announcedAt) return { announced: false, reason: `announced at ${record.announcedAt}` };
  const detail = releasedDetail(e.settings.environment, record);
  await d.events.publish(
    PRODUCT_EVENTS.imageReleased.source,
    PRODUCT_EVENTS.imageReleased.detailType,
    detail,
  );
  // Not a release: the generation stays. Lost to a concurrent write, the next rollout announces
  // again, which the receivers take as the same release.
  await d.store.replaceFleet({ ...record, announcedAt: d.now.toISOString() }, record.generation);
  return { announced: true, detail };
}

function releasedDetail(environment: WorkflowSettings['environment'], r: FleetRecord): ImageReleasedDetail {
  return {
    environment,
    imageId: r.releasedImage,
    ...(r.previousImage ? { previousImage: r.previousImage } : {}),
    action: r.releasedAction ?? 'canary',
    trigger: r.releasedTrigger ?? 'console',
    execution: r.releasedBy ?? '',
    releasedAt: r.releasedAt ?? '',
  };
}
