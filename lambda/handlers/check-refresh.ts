import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { checkRefresh } from '../refresh/refresh';
import { stepHandler } from '../shared/handler';
import type { ExecutionRef, RefreshPlan, RefreshProgress, WorkflowSettings } from '../shared/types';

const autoscaling = new AutoScalingClient({});

/** Poll the rotation: done, keep waiting (and for how long), or `RefreshFailed`. */
export const handler = stepHandler(
  'check-refresh',
  (event: {
    settings: WorkflowSettings;
    execution: ExecutionRef;
    plan: RefreshPlan;
    progress: RefreshProgress;
  }) => checkRefresh(event, { autoscaling, now: new Date() }),
);
