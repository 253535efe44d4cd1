import { COLOURS } from '../shared/colours';
import { InvalidInput } from '../shared/errors';
import type { RolloutRequest } from '../shared/documents';
import type { WorkflowSettings } from '../shared/settings';
import type { FleetGroups } from '../fleet/ports';

/**
 * A replace may only name instances of this environment's fleet (its blue and green groups).
 * Checked as part of the input, before the lock and before anything changes: an id from another
 * fleet, a stopped experiment or a typo is refused as InvalidInput, naming the field.
 */
export async function checkReplaceTargets(
  request: RolloutRequest,
  settings: Pick<WorkflowSettings, 'environment' | 'groups'>,
  groups: FleetGroups,
): Promise<void> {
  if (request.action !== 'replace') return;
  const ids = request.instanceIds ?? [];
  const found = await groups.describe(settings.groups);
  const inFleet = new Set(COLOURS.flatMap((c) => (found[c]?.instances ?? []).map((i) => i.id)));
  const outside = ids.flatMap((id, i) => (inFleet.has(id) ? [] : [`instanceIds.${i} ${id}`]));
  if (outside.length > 0) {
    throw new InvalidInput(
      `${outside.join(', ')} ${outside.length === 1 ? 'is not an instance' : 'are not instances'} of the ` +
        `${settings.environment} fleet (${settings.groups.blue}, ${settings.groups.green}); name only its instances`,
    );
  }
}
