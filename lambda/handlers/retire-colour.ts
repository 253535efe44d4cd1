import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbLedgerStore } from '../aws/dynamodb';
import { retireWarmColour } from '../fleet/retire';
import { stepHandler } from '../runtime/handler';
import type { WorkflowSettings } from '../shared/settings';
import type { ExecutionRef, FleetRecord } from '../shared/documents';

const autoscaling = new AutoScalingClient({});
const db = new DynamoDBClient({});

/** After the scale-down delay: scale the previous colour to zero, unless the fleet moved on. */
export const handler = stepHandler(
  'retire-colour',
  (event: { settings: WorkflowSettings; execution: ExecutionRef; fleet: FleetRecord }) =>
    retireWarmColour(event, {
      store: new DynamoDbLedgerStore(db, event.settings.table),
      autoscaling,
      now: new Date(),
    }),
);
