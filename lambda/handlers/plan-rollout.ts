import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { EC2Client } from '@aws-sdk/client-ec2';
import { planRollout } from '../planning/plan';
import type { PlanEvent } from '../planning/plan';
import { stepHandler } from '../runtime/handler';

const autoscaling = new AutoScalingClient({});
const ec2 = new EC2Client({});

/** Decide what this rollout will do, from the fleet as it is. Read-only. */
export const handler = stepHandler('plan-rollout', (event: PlanEvent & { execution?: { id: string } }) =>
  planRollout(event, { autoscaling, ec2, now: new Date() }),
);
