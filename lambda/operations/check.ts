import { replaceInput } from '../access/respond';
import type { OnInteractiveAccess } from '../shared/operations';
import type { Executions, Notifier } from '../access/ports';
import { findDrift } from './drift';
import type { DriftFinding } from './drift';
import { fleetAge } from './fleet-age';
import type { FleetAge } from './fleet-age';
import { observeFleet } from './observe';
import type { ObserveDeps, ObservedSettings } from './observe';

export interface FleetCheckSettings extends ObservedSettings {
  readonly onInteractiveAccess: OnInteractiveAccess;
}

export interface FleetCheckDeps extends ObserveDeps {
  readonly executions: Executions;
  readonly notifier: Notifier;
}

export interface FleetCheckResult {
  readonly age: FleetAge;
  readonly drift: readonly DriftFinding[];
  /** The replace started for tainted instances still serving, if one was. */
  readonly replacing?: { readonly instanceIds: readonly string[]; readonly execution: string };
}

/**
 * The scheduled look at the fleet: its age and shape (the fleet-age SLO), its drift from what was
 * released, and the tainted instances still serving. Under `replace`, tainted instances whose
 * replace was deferred (a rollout held the lock then) are replaced now that the lock is free; a
 * start refused meanwhile is tried again on the next check.
 */
export async function checkFleet(s: FleetCheckSettings, d: FleetCheckDeps): Promise<FleetCheckResult> {
  const observation = await observeFleet(s, d);
  const age = fleetAge(observation);
  const drift = findDrift(observation);
  if (s.onInteractiveAccess !== 'replace' || age.tainted.length === 0 || observation.lock)
    return { age, drift };
  const input = replaceInput(age.tainted, 'found by the scheduled fleet check');
  // One name per instance set and hour: a retried check does not start a second replace.
  const hour = d.now.toISOString().slice(0, 13).replace(/\D/g, '');
  const execution = await d.executions.start(`tainted-${hour}-${input.instanceIds.length}`, input);
  await d.notifier.notify(
    `${s.environment}: replacing ${input.instanceIds.length} tainted instance(s)`,
    `${input.instanceIds.join(', ')} still served after interactive access; ${execution} replaces them.`,
  );
  return { age, drift, replacing: { instanceIds: input.instanceIds, execution } };
}
