import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { shiftTraffic } from '../canary/steps';
import { stepHandler } from '../runtime/handler';
import type { WorkflowSettings } from '../shared/settings';
import type { CanaryPlan, CanaryProgress, ExecutionRef, FlipPlan } from '../shared/documents';

const elb = new ElasticLoadBalancingV2Client({});

/** Set the listener weights for the current canary step (or flip straight back on a rollback). */
export const handler = stepHandler(
  'shift-traffic',
  (event: {
    settings: WorkflowSettings;
    execution: ExecutionRef;
    plan: CanaryPlan | FlipPlan;
    progress?: CanaryProgress;
  }) => shiftTraffic(event, { elb, now: new Date() }),
);
