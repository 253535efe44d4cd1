import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DynamoDbLedgerStore } from '../aws/dynamodb';
import { EventBridgeEvents } from '../aws/eventbridge';
import { announceRelease } from '../ledger/announce';
import type { AnnounceEvent } from '../ledger/announce';
import { deployedHandler } from '../runtime/composition';
import type { Composition } from '../runtime/composition';
import { stepHandler } from '../runtime/handler';
import type { Payload } from '../runtime/handler';
import { stepConfig } from '../runtime/step-config';
import type { StepSettings } from '../shared/step-settings';

export const configure = stepConfig('announce-release');

type Clients = { dynamodb: DynamoDBClient; events: EventBridgeClient };

/** Every rollout's last word: announce the release it made (or one a stopped rollout left unannounced). */
export function create({ config, clients, clock }: Composition<StepSettings<'announce-release'>, Clients>) {
  const deps = {
    store: new DynamoDbLedgerStore(clients.dynamodb, config.table),
    events: new EventBridgeEvents(clients.events),
  };
  return stepHandler('announce-release', (event: Payload<AnnounceEvent>) =>
    announceRelease({ ...event, settings: config }, { ...deps, now: clock() }),
  );
}

export const handler = deployedHandler({ configure, create }, () => ({
  dynamodb: new DynamoDBClient({}),
  events: new EventBridgeClient({}),
}));
