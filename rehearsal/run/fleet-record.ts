import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDbPromotionStore } from '../../lambda/aws/dynamodb-promotion';
import type { FleetRecord } from '../../lambda/shared/documents';
import type { WorkflowSettings } from '../../lambda/shared/settings';
import type { Scenario } from '../scenario';
import { factoryAnnounced, releasedUpstream, scenarioImageIds, seededVersions } from '../scenario-world';
import type { FleetSimulator } from '../simulator';
import type { SimulatedClients } from '../simulator/sdk-routes';

/**
 * A scenario's history, written through the fleet's own account and region's clients before the
 * run's calls are counted: the releases upstream environments announced, and the fleet record a
 * previous release would have left.
 */
export async function seedHistory(
  scenario: Scenario,
  sim: FleetSimulator,
  settings: WorkflowSettings,
  clients: SimulatedClients,
): Promise<void> {
  await seedFactoryAnnouncements(scenario, sim, settings, clients);
  await seedUpstreamReleases(scenario, sim, settings, clients);
  await seedFleetRecord(scenario, sim, settings, clients);
}

/**
 * Each image the factory built, as its `Image Available` left it in this environment's table:
 * the record that the factory's pipeline built the image, and what its scan found.
 */
async function seedFactoryAnnouncements(
  scenario: Scenario,
  sim: FleetSimulator,
  settings: WorkflowSettings,
  clients: SimulatedClients,
): Promise<void> {
  const store = new DynamoDbPromotionStore(clients.dynamodb, settings.table);
  const announcedAt = new Date(sim.now().getTime() - 2 * 86_400_000).toISOString();
  const { region, accountId } = sim.place;
  for (const { imageId, findings } of factoryAnnounced(scenario)) {
    await store.recordFactoryImage({
      imageArn: `arn:aws:imagebuilder:${region}:${accountId}:image/immutable-web/1.0.0/1`,
      pipelineArn: `arn:aws:imagebuilder:${region}:${accountId}:image-pipeline/immutable-web`,
      amis: [{ region, imageId }],
      findings,
      recipeVersion: '1.0.0',
      sourceRevision: 'rehearsal',
      imageId,
      announcedAt,
    });
  }
}

/** Each image released in the environment this one promotes from, as its `Image Released` would have recorded it. */
async function seedUpstreamReleases(
  scenario: Scenario,
  sim: FleetSimulator,
  settings: WorkflowSettings,
  clients: SimulatedClients,
): Promise<void> {
  const from = settings.promoteFrom;
  if (!from) return;
  const store = new DynamoDbPromotionStore(clients.dynamodb, settings.table);
  const releasedAt = new Date(sim.now().getTime() - 86_400_000).toISOString();
  for (const imageId of scenarioImageIds(scenario)) {
    if (!releasedUpstream(scenario, imageId).includes(from)) continue;
    await store.recordUpstreamRelease({
      environment: from,
      imageId,
      action: 'canary',
      releasedAt,
      execution: `arn:aws:states:::execution:${from}-rollout:rehearsal-history`,
    });
  }
}

async function seedFleetRecord(
  scenario: Scenario,
  sim: FleetSimulator,
  settings: WorkflowSettings,
  clients: SimulatedClients,
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
  await clients.dynamodb.send(
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
