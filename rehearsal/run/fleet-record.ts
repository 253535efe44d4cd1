import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { FleetRecord } from '../../lambda/shared/documents';
import type { WorkflowSettings } from '../../lambda/shared/settings';
import type { Scenario } from '../scenario';
import { seededVersions } from '../scenario-world';
import type { FleetSimulator } from '../simulator';

/**
 * A scenario with history: the fleet record a previous release would have left, written
 * through the SDK (the stubbed client) before the run's calls are counted.
 */
export async function seedFleetRecord(
  scenario: Scenario,
  sim: FleetSimulator,
  settings: WorkflowSettings,
): Promise<void> {
  if (!scenario.fleet.previousImage) return;
  const until = new Date(sim.now().getTime() + settings.scaleDownDelaySeconds * 1000).toISOString();
  const record: FleetRecord = {
    liveColour: 'blue',
    releasedImage: scenario.releasedImage,
    previousImage: scenario.fleet.previousImage,
    releasedAt: sim.now().toISOString(),
    versions: seededVersions(scenario),
    ...(scenario.fleet.previousColourWarm
      ? { warm: { colour: 'green', image: scenario.fleet.previousImage, until } }
      : {}),
    generation: 1,
  };
  await new DynamoDBClient({}).send(
    new PutItemCommand({
      TableName: settings.table,
      Item: {
        pk: { S: 'fleet' },
        sk: { S: 'state' },
        record: { S: JSON.stringify(record) },
        generation: { N: '1' },
      },
    }),
  );
}

/** The fleet record in the simulated table, if there is one. */
export function fleetRecordIn(sim: FleetSimulator, table: string): FleetRecord | undefined {
  const item = sim.item(table, { pk: 'fleet', sk: 'state' });
  return typeof item?.record === 'string' ? (JSON.parse(item.record) as FleetRecord) : undefined;
}
