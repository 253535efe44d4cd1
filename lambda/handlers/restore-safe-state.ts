import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { restoreSafeState } from '../fleet/restore';
import { stepHandler } from '../runtime/handler';
import type { WorkflowSettings } from '../shared/settings';
import type { ExecutionRef, FleetRecord } from '../shared/documents';

const elb = new ElasticLoadBalancingV2Client({});
const autoscaling = new AutoScalingClient({});

/** All traffic on the live colour, the idle colour at rest: first step of a run, and its compensation. */
export const handler = stepHandler(
  'restore-safe-state',
  (event: { settings: WorkflowSettings; execution: ExecutionRef; fleet: FleetRecord; dryRun?: boolean }) =>
    restoreSafeState(event, { elb, autoscaling, now: new Date() }),
);
