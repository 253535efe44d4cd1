import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { judgeCanaryStep } from '../canary/steps';
import { metrics, stepHandler } from '../shared/handler';
import type { CanaryPlan, CanaryProgress, ExecutionRef, WorkflowSettings } from '../shared/types';

const cloudwatch = new CloudWatchClient({});

/** Judge the step that just baked: alarms and canary-versus-baseline metrics. */
export const handler = stepHandler(
  'judge-canary',
  async (event: {
    settings: WorkflowSettings;
    execution: ExecutionRef;
    plan: CanaryPlan;
    progress: CanaryProgress;
  }) => {
    try {
      const progress = await judgeCanaryStep(event, { cloudwatch, now: new Date() });
      metrics.addMetric('CanaryStepPassed', 'Count', 1);
      return progress;
    } catch (e) {
      metrics.addMetric('CanaryStepFailed', 'Count', 1);
      throw e;
    }
  },
);
