import type { Colour, ColourMap } from '../shared/colours';
import type { WorkflowSettings } from '../shared/settings';
import type { FleetRecord } from '../shared/documents';
import type { ParameterKind, RuntimeParameters } from './ports';

/**
 * The parameters the fleet's template resolves at deploy time. The workflow keeps them
 * equal to the fleet record, so a `cdk deploy` re-asserts the runtime state instead of
 * resetting it. Writes skip unchanged values: each parameter's history is then exactly the
 * history of real changes (for the released image, the release history).
 */

/** The parameters' names, from the settings. */
export type ParameterNames = WorkflowSettings['parameters'];

/** Build a first fleet record from the seeded parameters (an environment's first rollout). */
export async function bootstrapRecord(
  parameters: RuntimeParameters,
  names: ParameterNames,
): Promise<FleetRecord> {
  const [image, weights, blue, green] = await Promise.all([
    parameters.get(names.releasedImage),
    parameters.get(names.listenerWeights),
    parameters.get(names.launchTemplateVersions.blue),
    parameters.get(names.launchTemplateVersions.green),
  ]);
  const [blueWeight = 100, greenWeight = 0] = weights.split(',').map((w) => Number(w.trim()));
  return {
    liveColour: greenWeight > blueWeight ? 'green' : 'blue',
    releasedImage: image,
    versions: { blue, green },
    generation: 0,
  };
}

/** Make the parameters describe `record`: released image, weights, versions. Returns the names written. */
export async function publishRecord(
  parameters: RuntimeParameters,
  names: ParameterNames,
  record: FleetRecord,
): Promise<string[]> {
  const weights: ColourMap<number> =
    record.liveColour === 'blue' ? { blue: 100, green: 0 } : { blue: 0, green: 100 };
  const wanted: Array<[string, string, ParameterKind]> = [
    [names.releasedImage, record.releasedImage, 'image'],
    [names.listenerWeights, `${weights.blue},${weights.green}`, 'list'],
    ...(['blue', 'green'] as Colour[]).map((c): [string, string, ParameterKind] => [
      names.launchTemplateVersions[c],
      record.versions[c],
      'text',
    ]),
  ];
  const written: string[] = [];
  for (const [name, value, kind] of wanted) {
    if ((await parameters.find(name)) === value) continue;
    await parameters.put(name, value, kind);
    written.push(name);
  }
  return written;
}
