import type { WorkflowSettings } from '../../lambda/shared/settings';
import { synthesizedTemplates } from '../support/templates';
import type { FleetRecord } from '../../lambda/shared/documents';
import type { Rehearsal, RehearsalRun } from '../../rehearsal/runner';
import { parseScenario } from '../../rehearsal/scenario';
import type { Scenario, ScenarioInput } from '../../rehearsal/scenario';
import { RehearsalSession } from '../../rehearsal/session';
import { unmarshall } from '../../rehearsal/simulator/dynamodb/attribute-value';
import type { SimSnapshot } from '../../rehearsal/simulator';

/**
 * Shared by the rehearsal tests: scenario builders, readers of the simulated account's state
 * (ledger, lock, SSM, tags) and the end-state invariants every rollout must leave behind.
 */

/** The image the fleet runs when a scenario starts. */
export const RELEASED = 'ami-0a1a1a1a1a1a1a1a1';
/** A healthy new image. */
export const NEW = 'ami-0b2b2b2b2b2b2b2b2';
/** The release before RELEASED. */
export const PREVIOUS = 'ami-0c3c3c3c3c3c3c3c3';
/** An image whose 5xx rate is far beyond every environment's threshold. */
export const REGRESSED = 'ami-0d4d4d4d4d4d4d4d4';
/** An image that does not exist in the simulated account. */
export const MISSING = 'ami-0e5e5e5e5e5e5e5e5';

/** AWS calls that change the fleet, its traffic or its runtime parameters. */
export const FLEET_CHANGING_CALLS = [
  'UpdateAutoScalingGroup',
  'ModifyListener',
  'StartInstanceRefresh',
  'CancelInstanceRefresh',
  'DetachInstances',
  'TerminateInstances',
  'CreateLaunchTemplateVersion',
  'PutParameter',
  'CreateTags',
  'DeleteTags',
] as const;

/** The run's synthesized templates, one compiled rehearsal per environment. */
export function openSession(): RehearsalSession {
  return new RehearsalSession(synthesizedTemplates());
}

/** A dev scenario with a 4-instance fleet on RELEASED, two days old, and NEW available. */
export function scenario(overrides: Partial<ScenarioInput> & Pick<ScenarioInput, 'input'>): Scenario {
  return parseScenario({
    environment: 'dev',
    fleet: { instances: 4, launchSeconds: 120, ageDays: 2 },
    releasedImage: RELEASED,
    // released upstream, so a staging or prod canary passes the promotion gate
    images: {
      [NEW]: { errorRate: 0.001, releasedIn: ['dev', 'staging'] },
      [REGRESSED]: { errorRate: 0.2, releasedIn: ['dev', 'staging'] },
    },
    ...overrides,
  });
}

export const canary = (imageId: string, extra: Record<string, unknown> = {}) => ({
  action: 'canary',
  imageId,
  ...extra,
});

/** The fleet-changing calls a run made, by name (empty when it changed nothing). */
export function fleetChanges(run: RehearsalRun): Record<string, number> {
  return Object.fromEntries(
    Object.entries(run.result.apiCalls).filter(([name]) =>
      (FLEET_CHANGING_CALLS as readonly string[]).includes(name),
    ),
  );
}

export interface LedgerRow {
  execution: string;
  status: string;
  action?: string;
  trigger?: string;
  fromImage?: string;
  toImage?: string;
  error?: string;
  cause?: string;
  plan?: string;
}

/** The ledger's rollout entries, oldest first. */
export function ledgerOf(run: RehearsalRun, settings: WorkflowSettings): LedgerRow[] {
  const out = run.simulator.dynamodb.query({
    TableName: settings.table,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': { S: 'rollout' } },
  });
  return (out.Items ?? []).map((item) => unmarshall(item) as unknown as LedgerRow);
}

/** The fleet record (pk=fleet, sk=state), if the run created one. */
export function fleetRecordOf(run: RehearsalRun, settings: WorkflowSettings): FleetRecord | undefined {
  const item = run.simulator.item(settings.table, { pk: 'fleet', sk: 'state' });
  return typeof item?.record === 'string' ? (JSON.parse(item.record) as FleetRecord) : undefined;
}

export function lockOf(run: RehearsalRun, settings: WorkflowSettings): Record<string, unknown> | undefined {
  return run.simulator.item(settings.table, { pk: 'fleet', sk: 'lock' });
}

/** The runtime parameters a deploy would read. */
export function parametersOf(run: RehearsalRun, settings: WorkflowSettings) {
  const value = (name: string) => run.simulator.parameter(name)?.value;
  return {
    releasedImage: value(settings.parameters.releasedImage),
    listenerWeights: value(settings.parameters.listenerWeights),
    versions: {
      blue: value(settings.parameters.launchTemplateVersions.blue),
      green: value(settings.parameters.launchTemplateVersions.green),
    },
  };
}

/** The tags an image carries in the simulated account. */
export function tagsOf(run: RehearsalRun, imageId: string): Record<string, string> {
  const image = run.simulator.ec2.describeImages({ ImageIds: [imageId] }).Images?.[0];
  return Object.fromEntries((image?.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
}

/** The releases the run's world announced (`Image Released` on its bus), earlier runs on it included. */
export const announcedReleases = (run: RehearsalRun) =>
  run.simulator.events.events
    .filter((e) => e['detail-type'] === 'Image Released')
    .map((e) => e.detail as { environment: string; imageId: string; previousImage?: string; action: string });

/** The green colour's listener weight at every step of the run, in order, without repeats. */
export function greenWeights(run: RehearsalRun): number[] {
  return dedupe(run.samples.map((s) => Math.round(s.weights.green)));
}

/** When the main execution first entered a state, in simulated seconds. */
export function enteredAt(run: RehearsalRun, state: string, execution: 'main' | 'second' = 'main'): number {
  const event = run.timeline.find(
    (e) => e.execution === execution && e.kind === 'entered' && e.state === state,
  );
  if (!event) throw new Error(`the ${execution} execution never entered "${state}"`);
  return event.t;
}

export const statesEntered = (run: RehearsalRun, execution: 'main' | 'second' = 'main') =>
  run.timeline.filter((e) => e.execution === execution && e.kind === 'entered').map((e) => e.state);

export const endSnapshot = (run: RehearsalRun): SimSnapshot => run.simulator.snapshot();

/**
 * The state every finished rollout must leave behind, whatever its outcome: the lock released;
 * traffic all on the live colour of the fleet record, which serves the released image; the
 * runtime parameters equal to the record (so a deploy re-asserts it); the idle colour at zero
 * unless it is the previous release kept warm; and no ledger entry left open.
 */
export function expectKnownEndState(run: RehearsalRun, rehearsal: Rehearsal): void {
  const settings = rehearsal.settings;
  const end = endSnapshot(run);
  expect(lockOf(run, settings)).toBeUndefined();
  expect(ledgerOf(run, settings).filter((e) => e.status === 'IN_PROGRESS')).toEqual([]);
  const record = fleetRecordOf(run, settings);
  if (!record) return;
  const live = record.liveColour;
  const idle = live === 'blue' ? 'green' : 'blue';
  expect(run.result.live.image).toBe(record.releasedImage);
  expect(end.weights[live]).toBe(100);
  expect(parametersOf(run, settings)).toEqual({
    releasedImage: record.releasedImage,
    listenerWeights: live === 'blue' ? '100,0' : '0,100',
    versions: record.versions,
  });
  expect(end.groups[live].launchTemplateVersion).toBe(record.versions[live]);
  if (end.groups[live].inService > 0) {
    expect(end.trafficByImage).toEqual({ [record.releasedImage]: 100 });
    expect(Object.keys(end.groups[live].imageIds)).toEqual([record.releasedImage]);
  }
  const warm =
    record.warm?.colour === idle &&
    Date.parse(record.warm.until) > run.simulator.now().getTime() &&
    end.groups[idle].launchTemplateVersion === record.versions[idle];
  if (!warm) expect(end.groups[idle]).toMatchObject({ desired: 0, min: 0, inService: 0 });
}

function dedupe(values: number[]): number[] {
  return values.filter((v, i) => i === 0 || v !== values[i - 1]);
}
