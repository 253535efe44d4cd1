import type { LedgerStore } from '../ledger/ports';
import type { StepSettings } from '../shared/step-settings';
import type { ExecutionRef, FleetRecord } from '../shared/documents';
import { scaleToZero } from './groups';
import type { FleetGroups } from './ports';

/** What Retire Previous Colour receives: the fleet record its release wrote. */
export interface RetireEvent {
  readonly settings: StepSettings<'retire-colour'>;
  readonly execution: ExecutionRef;
  readonly fleet: FleetRecord;
}

/** A retirement holds the lock only for the few calls it makes. */
const RETIRE_LOCK_SECONDS = 300;

/** Waits for a busy lock: a dry run's hold costs a minute; a long rollout's, few transitions. */
const MIN_LOCK_WAIT_SECONDS = 60;
const MAX_LOCK_WAIT_SECONDS = 900;

/** What Retire Previous Colour returns; `waitSeconds` asks to be called again after that long. */
export interface RetireResult {
  readonly retired: boolean;
  readonly reason: string;
  readonly waitSeconds?: number;
}

/**
 * After the scale-down delay, scale the previous colour to zero — unless the fleet moved on
 * meanwhile (a rollback flipped back to it, or another release reused it). The lock was
 * released at promotion so an operator could roll back during the delay; it is taken again
 * here, briefly, so this never races a running rollout.
 *
 * When another execution holds the lock, this asks to be called again (`waitSeconds`) rather
 * than leave the colour to whoever holds it: a rollout puts the idle colour to rest as it ends,
 * but a dry run changes nothing, so a colour whose delay ended under a dry run's lock would
 * stay up with nobody to retire it. It waits half as long as the colour is overdue (1 to 15
 * minutes), and gives up, saying so, rather than wait past its own execution's timeout.
 */
export async function retireWarmColour(
  e: RetireEvent,
  d: { store: LedgerStore; groups: FleetGroups; now: Date },
): Promise<RetireResult> {
  const warm = e.fleet.warm;
  if (!warm) return { retired: false, reason: 'no colour is kept warm' };
  const owner = `${e.execution.id}#retire`;
  const holder = await d.store.acquire(owner, 'retire', d.now, RETIRE_LOCK_SECONDS);
  if (holder) return waitForLock(e, holder.owner, d.now);
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

function waitForLock(e: RetireEvent, holder: string, now: Date): RetireResult {
  const colour = e.fleet.warm?.colour ?? 'the warm colour';
  const overdueSeconds = (now.getTime() - Date.parse(e.fleet.warm?.until ?? now.toISOString())) / 1000;
  const waitSeconds = Math.round(
    Math.min(MAX_LOCK_WAIT_SECONDS, Math.max(MIN_LOCK_WAIT_SECONDS, overdueSeconds / 2)),
  );
  const deadline = Date.parse(e.execution.startedAt) + e.settings.timeoutSeconds * 1000;
  if (now.getTime() + (waitSeconds + MIN_LOCK_WAIT_SECONDS) * 1000 >= deadline) {
    return {
      retired: false,
      reason: `${holder} still holds the fleet as this execution nears its timeout; the next rollout retires ${colour}`,
    };
  }
  return {
    retired: false,
    reason: `${holder} holds the fleet; trying again in ${waitSeconds} s`,
    waitSeconds,
  };
}
