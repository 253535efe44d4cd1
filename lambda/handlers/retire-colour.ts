import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { AutoScalingFleetGroups } from '../aws/auto-scaling';
import { DynamoDbLedgerStore } from '../aws/dynamodb';
import { retireWarmColour } from '../fleet/retire';
import type { RetireEvent } from '../fleet/retire';
import { rolloutStepHandler } from '../runtime/handler';

const groups = new AutoScalingFleetGroups(new AutoScalingClient({}));
const db = new DynamoDBClient({});

/** After the scale-down delay: scale the previous colour to zero, unless the fleet moved on. */
export const handler = rolloutStepHandler('retire-colour', (event: RetireEvent) =>
  // The table is named by the settings each execution carries.
  retireWarmColour(event, {
    store: new DynamoDbLedgerStore(db, event.settings.table),
    groups,
    now: new Date(),
  }),
);
