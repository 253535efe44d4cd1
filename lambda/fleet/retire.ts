import type { LedgerStore } from '../ledger/ports';
import type { WorkflowSettings } from '../shared/settings';
import type { ExecutionRef, FleetRecord } from '../shared/documents';
import { scaleToZero } from './groups';
import type { FleetGroups } from './ports';

/** What Retire Previous Colour receives: the fleet record its release wrote. */
export interface RetireEvent {
  readonly settings: WorkflowSettings;
  readonly execution: ExecutionRef;
  readonly fleet: FleetRecord;
}

/** A retirement holds the lock only for the few calls it makes. */
const RETIRE_LOCK_SECONDS = 300;

/**
 * After the scale-down delay, scale the previous colour to zero — unless the fleet moved on
 * meanwhile (a rollback flipped back to it, or another release reused it). The lock was
 * released at promotion so an operator could roll back during the delay; it is taken again
 * here, briefly, so this never races a running rollout.
 */
export async function retireWarmColour(
  e: RetireEvent,
  d: { store: LedgerStore; groups: FleetGroups; now: Date },
): Promise<{ retired: boolean; reason: string }> {
  const warm = e.fleet.warm;
  if (!warm) return { retired: false, reason: 'no colour is kept warm' };
  const owner = `${e.execution.id}#retire`;
  const holder = await d.store.acquire(owner, 'retire', d.now, RETIRE_LOCK_SECONDS);
  if (holder) {
    return {
      retired: false,
      reason: `${holder.owner} holds the fleet; the next rollout retires ${warm.colour} itself`,
    };
  }
  try {
    const current = await d.store.fleet();
    // The same warm colour, image and deadline: this release's. A later release or rollback
    // replaces or removes it; a rotation of the live colour meanwhile leaves it alone.
    const same =
      current?.warm?.colour === warm.colour &&
      current.warm.image === warm.image &&
      current.warm.until === warm.until;
    if (!current || !same) {
      return { retired: false, reason: 'the fleet changed since this release; nothing to retire' };
    }
    await scaleToZero(d.groups, e.settings.groups[warm.colour]);
    const { warm: _retired, ...rest } = current;
    await d.store.replaceFleet(rest, current.generation);
    return {
      retired: true,
      reason: `${warm.colour} (${warm.image}) scaled to zero after the scale-down delay`,
    };
  } finally {
    await d.store.release(owner);
  }
}
