import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { judgeCanaryStep } from '../canary/steps';
import { metrics, stepHandler } from '../runtime/handler';
import type { WorkflowSettings } from '../shared/settings';
import type { CanaryPlan, CanaryProgress, ExecutionRef } from '../shared/documents';

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
      const last = progress.judgements[progress.judgements.length - 1];
      metrics.addMetric('CanaryStepPassed', 'Count', 1);
      if (last) {
        metrics.addMetric('CanaryErrorRatio', 'Percent', last.canary.errorRatio * 100);
        if (last.canary.p99LatencySeconds !== null)
          metrics.addMetric('CanaryP99Latency', 'Seconds', last.canary.p99LatencySeconds);
      }
      return progress;
    } catch (e) {
      metrics.addMetric('CanaryStepFailed', 'Count', 1);
      throw e;
    }
  },
);
