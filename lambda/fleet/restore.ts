import type { Colour } from '../shared/colours';
import type { StepSettings } from '../shared/step-settings';
import type { ExecutionRef, FleetRecord } from '../shared/documents';
import { otherColour } from '../shared/colours';
import { clampWait } from '../refresh/refresh';
import type { InstanceRefreshes } from '../refresh/ports';
import { allOn, sameWeights } from '../traffic/listener';
import type { Listener } from '../traffic/ports';
import { describeGroups, scaleToZero } from './groups';
import type { FleetGroups } from './ports';

/** What Restore Safe State, Return Traffic To Last Good Fleet and Put Idle Colour To Rest receive. */
export interface RestoreEvent {
  readonly settings: StepSettings<'restore-safe-state'>;
  readonly execution: ExecutionRef;
  readonly fleet: FleetRecord;
  readonly dryRun?: boolean;
}

/**
 * Put the fleet in its known-good state: all traffic on the live colour, the idle colour at
 * zero (unless it is the previous release kept warm for an instant rollback), and no
 * instance refresh left running without a workflow watching it. Runs first in every
 * execution (a stopped or crashed run may have left anything behind) and as the
 * compensation of every failure. Touches only what differs, so it is cheap when all is well.
 * A dry run changes nothing: it reports, with `dryRun: true`, the actions it would have taken.
 */
export async function restoreSafeState(
  e: RestoreEvent,
  d: { listener: Listener; groups: FleetGroups; refreshes: InstanceRefreshes; now: Date },
): Promise<RestoredFleet> {
  const { settings: s, fleet } = e;
  const actions: string[] = [];
  const act = async (change: () => Promise<unknown>) => {
    if (!e.dryRun) await change();
  };
  const live = fleet.liveColour;
  const idle = otherColour(live);

  const weights = await d.listener.weights(s);
  if (!sameWeights(weights, allOn(live))) {
    await act(() => d.listener.setWeights(s, allOn(live)));
    actions.push(`listener weights ${weights.blue}/${weights.green} → all on ${live}`);
  }

  const groups = await describeGroups(d.groups, s.groups);
  const active = await d.refreshes.latest(groups[live].name);
  const status = active?.status ?? '';
  const refreshing = active !== undefined && ['Pending', 'InProgress', 'Baking'].includes(status);
  if (refreshing) {
    // A rotation only ever targets the released image, so cancelling keeps whatever it
    // already replaced and leaves nothing half-known behind.
    await act(() => d.refreshes.cancel(groups[live].name));
    actions.push(
      `cancelled instance refresh ${active.id ?? ''} (${active.status ?? ''}) on ${groups[live].name}`,
    );
  }

  const warm = fleet.warm;
  const idleGroup = groups[idle];
  // A canary started inside the warm period puts its own launch-template version on the warm
  // colour; if it failed, that colour now runs the failed image and is no longer worth keeping.
  const keepWarm =
    warm !== undefined &&
    warm.colour === idle &&
    Date.parse(warm.until) > d.now.getTime() &&
    idleGroup.version === fleet.versions[idle];
  if (!keepWarm && (idleGroup.desired > 0 || idleGroup.min > 0)) {
    await act(() => scaleToZero(d.groups, idleGroup.name));
    actions.push(`scaled idle ${idle} group ${idleGroup.name} from ${idleGroup.desired} to 0`);
  }
  // A cancelled refresh still launches what it had in flight, and one rolling back still
  // replaces instances (it puts back the version the record names, so it is left to finish):
  // both still change the live group, so the workflow looks again before it plans anything.
  // A dry run cancels nothing, so it has nothing to wait for.
  const settling = !e.dryRun && (refreshing || ['Cancelling', 'RollbackInProgress'].includes(status));
  // A rotation stopped before it recorded its outcome leaves its refresh to finish on its own,
  // and the live group then runs the version that refresh gave it: the record must follow
  // (Record Outcome writes it), or the next release would keep a version the group left.
  // A dry run records nothing.
  const running = groups[live].version;
  const unrecorded = !e.dryRun && !settling && running !== undefined && running !== fleet.versions[live];
  return {
    actions,
    ...(e.dryRun ? { dryRun: true as const } : {}),
    ...(settling ? { waitSeconds: clampWait(s.expectedBootSeconds / 4) } : {}),
    ...(unrecorded ? { liveVersion: { colour: live, version: running } } : {}),
  };
}

export interface RestoredFleet {
  readonly actions: string[];
  /** A dry run: `actions` are what it would have done; nothing was. */
  readonly dryRun?: true;
  /** A refresh of the live group is still being cancelled or rolled back: look again after this. */
  readonly waitSeconds?: number;
  /** The live group runs a launch-template version the fleet record does not name. */
  readonly liveVersion?: { readonly colour: Colour; readonly version: string };
}
