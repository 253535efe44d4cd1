import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { AutoScalingFleetGroups } from '../aws/auto-scaling';
import { DynamoDbPromotionStore } from '../aws/dynamodb-promotion';
import { Ec2Images, Ec2Instances } from '../aws/ec2';
import { planRollout } from '../planning/plan';
import type { PlanEvent } from '../planning/plan';
import { rolloutStepHandler } from '../runtime/handler';

const ec2 = new EC2Client({});
const groups = new AutoScalingFleetGroups(new AutoScalingClient({}));
const instances = new Ec2Instances(ec2);
const images = new Ec2Images(ec2);
const db = new DynamoDBClient({});

/** Decide what this rollout will do, from the fleet as it is. Read-only. */
export const handler = rolloutStepHandler('plan-rollout', (event: PlanEvent) =>
  planRollout(event, {
    groups,
    instances,
    images,
    // The table is named by the settings each execution carries.
    upstream: new DynamoDbPromotionStore(db, event.settings.table),
    now: new Date(),
  }),
);
