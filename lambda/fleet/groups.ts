import { FleetNotReady } from '../shared/errors';
import type { Colour, ColourMap } from '../shared/colours';
import type { FleetGroups, GroupView } from './ports';

/** InService instances (what serves, or will once healthy). */
export const inService = (g: GroupView) => g.instances.filter((i) => i.lifecycle === 'InService');

/** Both colours' groups, in one read; a missing one means the stack was never deployed. */
export async function describeGroups(
  groups: FleetGroups,
  names: ColourMap<string>,
): Promise<ColourMap<GroupView>> {
  const found = await groups.describe(names);
  const view = (colour: Colour): GroupView => {
    const g = found[colour];
    if (!g)
      throw new FleetNotReady(
        `Auto Scaling group ${names[colour]} (${colour}) does not exist; deploy the stack first`,
      );
    return g;
  };
  return { blue: view('blue'), green: view('green') };
}

/** Scale a group to zero, its maximum left alone: the idle colour's resting state. */
export async function scaleToZero(groups: FleetGroups, name: string): Promise<void> {
  await groups.update(name, { min: 0, desired: 0 });
}
