import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { AutoScalingFleetGroups } from '../aws/auto-scaling';
import { DynamoDbPromotionStore } from '../aws/dynamodb-promotion';
import { Ec2Images, Ec2Instances } from '../aws/ec2';
import { planRollout } from '../planning/plan';
import type { PlanEvent } from '../planning/plan';
import { deployedHandler } from '../runtime/composition';
import type { Composition } from '../runtime/composition';
import { stepHandler } from '../runtime/handler';
import type { Payload } from '../runtime/handler';
import { stepConfig } from '../runtime/step-config';
import type { StepSettings } from '../shared/step-settings';

export const configure = stepConfig('plan-rollout');

type Clients = { autoScaling: AutoScalingClient; ec2: EC2Client; dynamodb: DynamoDBClient };

/** Decide what this rollout will do, from the fleet as it is. Read-only. */
export function create({ config, clients, clock }: Composition<StepSettings<'plan-rollout'>, Clients>) {
  const deps = {
    groups: new AutoScalingFleetGroups(clients.autoScaling),
    instances: new Ec2Instances(clients.ec2),
    images: new Ec2Images(clients.ec2),
    upstream: new DynamoDbPromotionStore(clients.dynamodb, config.table),
  };
  return stepHandler('plan-rollout', (event: Payload<PlanEvent>) =>
    planRollout({ ...event, settings: config }, { ...deps, now: clock() }),
  );
}

export const handler = deployedHandler({ configure, create }, () => ({
  autoScaling: new AutoScalingClient({}),
  ec2: new EC2Client({}),
  dynamodb: new DynamoDBClient({}),
}));
