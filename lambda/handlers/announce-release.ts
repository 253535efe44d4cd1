import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DynamoDbLedgerStore } from '../aws/dynamodb';
import { EventBridgeEvents } from '../aws/eventbridge';
import { announceRelease } from '../ledger/announce';
import type { AnnounceEvent } from '../ledger/announce';
import { rolloutStepHandler } from '../runtime/handler';

const db = new DynamoDBClient({});
const events = new EventBridgeEvents(new EventBridgeClient({}));

/** Every rollout's last word: announce the release it made (or one a stopped rollout left unannounced). */
export const handler = rolloutStepHandler('announce-release', (event: AnnounceEvent) =>
  // The table is named by the settings each execution carries.
  announceRelease(event, {
    store: new DynamoDbLedgerStore(db, event.settings.table),
    events,
    now: new Date(),
  }),
);
