import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { AutoScalingFleetGroups, AutoScalingInstanceRefreshes } from '../aws/auto-scaling';
import { ElbListener } from '../aws/elb';
import { restoreSafeState } from '../fleet/restore';
import type { RestoreEvent } from '../fleet/restore';
import { rolloutStepHandler } from '../runtime/handler';

const autoscaling = new AutoScalingClient({});
const listener = new ElbListener(new ElasticLoadBalancingV2Client({}));
const groups = new AutoScalingFleetGroups(autoscaling);
const refreshes = new AutoScalingInstanceRefreshes(autoscaling);

/** All traffic on the live colour, the idle colour at rest: first step of a run, and its compensation. */
export const handler = rolloutStepHandler('restore-safe-state', (event: RestoreEvent) =>
  restoreSafeState(event, { listener, groups, refreshes, now: new Date() }),
);
