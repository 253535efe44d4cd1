import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { AutoScalingFleetGroups } from '../aws/auto-scaling';
import { DynamoDbLedgerStore } from '../aws/dynamodb';
import { retireWarmColour } from '../fleet/retire';
import type { RetireEvent } from '../fleet/retire';
import { deployedHandler } from '../runtime/composition';
import type { Composition } from '../runtime/composition';
import { stepHandler } from '../runtime/handler';
import type { Payload } from '../runtime/handler';
import { stepConfig } from '../runtime/step-config';
import type { StepSettings } from '../shared/step-settings';

export const configure = stepConfig('retire-colour');

type Clients = { autoScaling: AutoScalingClient; dynamodb: DynamoDBClient };

/** After the scale-down delay: scale the previous colour to zero, unless the fleet moved on. */
export function create({ config, clients, clock }: Composition<StepSettings<'retire-colour'>, Clients>) {
  const deps = {
    store: new DynamoDbLedgerStore(clients.dynamodb, config.table),
    groups: new AutoScalingFleetGroups(clients.autoScaling),
  };
  return stepHandler('retire-colour', (event: Payload<RetireEvent>) =>
    retireWarmColour({ ...event, settings: config }, { ...deps, now: clock() }),
  );
}

export const handler = deployedHandler({ configure, create }, () => ({
  autoScaling: new AutoScalingClient({}),
  dynamodb: new DynamoDBClient({}),
}));
