import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { checkRefresh } from '../refresh/refresh';
import { stepHandler } from '../runtime/handler';
import type { WorkflowSettings } from '../shared/settings';
import type { ExecutionRef, RefreshPlan, RefreshProgress } from '../shared/documents';

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
