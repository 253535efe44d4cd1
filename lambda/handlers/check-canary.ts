import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { AutoScalingFleetGroups } from '../aws/auto-scaling';
import { ElbTargetHealth } from '../aws/elb';
import { checkCanary } from '../canary/colour';
import type { CheckCanaryEvent } from '../canary/colour';
import { rolloutStepHandler } from '../runtime/handler';

const groups = new AutoScalingFleetGroups(new AutoScalingClient({}));
const targetHealth = new ElbTargetHealth(new ElasticLoadBalancingV2Client({}));

/** Count the canary (or warm) colour's healthy targets; `CanaryUnhealthy` past the deadline. */
export const handler = rolloutStepHandler('check-canary', (event: CheckCanaryEvent) =>
  checkCanary(event, { groups, targetHealth, now: new Date() }),
);
