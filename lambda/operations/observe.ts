import { COLOURS } from '../shared/colours';
import type { ColourMap } from '../shared/colours';
import type { FleetRecord } from '../shared/documents';
import type { WorkflowSettings } from '../shared/settings';
import type { FleetGroups, GroupView, Images, InstanceDetails, InstanceView } from '../fleet/ports';
import type { LedgerStore, LockHolder, RuntimeParameters } from '../ledger/ports';
import type { Listener } from '../traffic/ports';

/** What an observation of an environment needs: its names, as the workflow's settings hold them. */
export type ObservedSettings = Pick<
  WorkflowSettings,
  'environment' | 'groups' | 'listenerArn' | 'targetGroups' | 'parameters'
>;

/** Read-only ports onto one environment's fleet, ledger and runtime state. */
export interface ObserveDeps {
  readonly groups: FleetGroups;
  readonly instances: InstanceDetails;
  readonly ledger: Pick<LedgerStore, 'fleet' | 'holder'>;
  readonly parameters: Pick<RuntimeParameters, 'find'>;
  readonly listener: Pick<Listener, 'weights'>;
  readonly images: Pick<Images, 'tagsOf'>;
  readonly now: Date;
}

/** One environment as it is now: what the ledger says, what runs, and what the runtime state says. */
export interface FleetObservation {
  readonly environment: string;
  readonly now: Date;
  readonly record?: FleetRecord;
  readonly lock?: LockHolder;
  readonly groups: Partial<ColourMap<GroupView>>;
  /** EC2's view of every instance the groups hold. */
  readonly instances: readonly InstanceView[];
  /** The listener's weights, percent. */
  readonly weights: ColourMap<number>;
  /** The runtime parameters (undefined where a parameter does not exist). */
  readonly parameters: {
    readonly releasedImage?: string;
    readonly listenerWeights?: string;
    readonly versions: ColourMap<string | undefined>;
  };
  /** The tags of each AMI an instance runs (an image the account does not own is left out). */
  readonly imageTags: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

/** Read everything a status or drift report looks at; changes nothing. */
export async function observeFleet(s: ObservedSettings, d: ObserveDeps): Promise<FleetObservation> {
  const [record, lock, groups, weights, releasedImage, listenerWeights, blue, green] = await Promise.all([
    d.ledger.fleet(),
    d.ledger.holder(),
    d.groups.describe(s.groups),
    d.listener.weights({ listenerArn: s.listenerArn, targetGroups: s.targetGroups }),
    d.parameters.find(s.parameters.releasedImage),
    d.parameters.find(s.parameters.listenerWeights),
    d.parameters.find(s.parameters.launchTemplateVersions.blue),
    d.parameters.find(s.parameters.launchTemplateVersions.green),
  ]);
  const ids = COLOURS.flatMap((c) => (groups[c]?.instances ?? []).map((i) => i.id));
  const instances = await d.instances.describe(ids);
  const images = [...new Set(instances.flatMap((i) => (i.imageId ? [i.imageId] : [])))];
  const imageTags =
    images.length > 0 ? await d.images.tagsOf(images) : new Map<string, ReadonlyMap<string, string>>();
  return {
    environment: s.environment,
    now: d.now,
    ...(record ? { record } : {}),
    ...(lock && lock.expiresAt > d.now.getTime() / 1000 ? { lock } : {}),
    groups,
    instances,
    weights,
    parameters: {
      ...(releasedImage !== undefined ? { releasedImage } : {}),
      ...(listenerWeights !== undefined ? { listenerWeights } : {}),
      versions: { blue, green },
    },
    imageTags,
  };
}

/** The colour each instance belongs to, by id. */
export function colourOf(o: FleetObservation): Map<string, keyof ColourMap<unknown>> {
  return new Map(COLOURS.flatMap((c) => (o.groups[c]?.instances ?? []).map((i) => [i.id, c] as const)));
}

/** Instances serving or about to (InService in their group), with EC2's view of them. */
export function runningInstances(o: FleetObservation): InstanceView[] {
  const inService = new Set(
    COLOURS.flatMap((c) =>
      (o.groups[c]?.instances ?? []).filter((i) => i.lifecycle === 'InService').map((i) => i.id),
    ),
  );
  return o.instances.filter((i) => inService.has(i.id));
}
