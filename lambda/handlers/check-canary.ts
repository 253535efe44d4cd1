import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { checkCanary } from '../canary/colour';
import type { PreparedCanary } from '../canary/colour';
import { stepHandler } from '../runtime/handler';
import type { WorkflowSettings } from '../shared/settings';
import type { CanaryPlan, ExecutionRef, FlipPlan } from '../shared/documents';

const autoscaling = new AutoScalingClient({});
const elb = new ElasticLoadBalancingV2Client({});

/** Count the canary (or warm) colour's healthy targets; `CanaryUnhealthy` past the deadline. */
export const handler = stepHandler(
  'check-canary',
  (event: {
    settings: WorkflowSettings;
    execution: ExecutionRef;
    plan: CanaryPlan | FlipPlan;
    progress: PreparedCanary;
  }) => checkCanary(event, { autoscaling, elb, now: new Date() }),
);
