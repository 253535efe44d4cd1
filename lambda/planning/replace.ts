import type { GroupView } from '../fleet/ports';
import { COLOURS } from '../shared/colours';
import type { ColourMap } from '../shared/colours';
import type { ReplaceGroup, ReplacePlan, RolloutRequest, SkipPlan } from '../shared/documents';
import { FleetNotReady } from '../shared/errors';
import type { WorkflowSettings } from '../shared/settings';

/**
 * What a replace will do: per group, the named instances it still holds, and the room it needs.
 * Each replacement launches before the instance it replaces leaves (a surge of one instance per
 * instance replaced), so healthy serving capacity never drops; a group already at its maximum
 * size has no room for that, and the replace is refused before anything changes.
 */
export function planReplace(
  request: RolloutRequest,
  settings: Pick<WorkflowSettings, 'expectedBootSeconds'>,
  groups: ColourMap<GroupView>,
): ReplacePlan | SkipPlan {
  const requested = request.instanceIds ?? [];
  const holding = (g: GroupView) =>
    new Set(
      g.instances.filter((i) => i.lifecycle === 'InService' || i.lifecycle === 'Pending').map((i) => i.id),
    );
  const planned: ReplaceGroup[] = COLOURS.flatMap((colour) => {
    const g = groups[colour];
    const held = holding(g);
    const instanceIds = requested.filter((id) => held.has(id));
    return instanceIds.length ? [{ colour, group: g.name, instanceIds, desired: g.desired }] : [];
  });
  const gone = requested.filter((id) => !planned.some((p) => p.instanceIds.includes(id)));
  if (planned.length === 0) {
    const reason = `none of ${requested.join(', ')} is in the fleet any more (replaced or terminated meanwhile)`;
    return { kind: 'skip', reason, summary: `skip: ${reason}`, estimatedSeconds: 0 };
  }
  for (const p of planned) {
    const g = groups[p.colour];
    if (p.desired + p.instanceIds.length > g.max) {
      throw new FleetNotReady(
        `${g.name} runs ${p.desired} of at most ${g.max} instances: replacing ${p.instanceIds.length} needs room ` +
          `for their replacements first; raise fleet.capacity.max or replace fewer at once`,
      );
    }
  }
  const count = planned.reduce((n, p) => n + p.instanceIds.length, 0);
  const estimatedSeconds = settings.expectedBootSeconds + 60;
  return {
    kind: 'replace',
    groups: planned,
    gone,
    estimatedSeconds,
    summary:
      `replace ${count} instance${count === 1 ? '' : 's'} (${planned
        .map((p) => `${p.instanceIds.join(', ')} of ${p.group}`)
        .join('; ')}): launch the replacements, then detach and terminate` +
      (gone.length ? `; ${gone.join(', ')} already left the fleet` : ''),
  };
}
