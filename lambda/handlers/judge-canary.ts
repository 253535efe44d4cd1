import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchCanaryMetrics } from '../aws/cloudwatch';
import { judgeCanaryStep } from '../canary/steps';
import type { JudgeCanaryEvent } from '../canary/steps';
import { metrics, rolloutStepHandler } from '../runtime/handler';
import type { CanaryProgress } from '../shared/documents';

const canaryMetrics = new CloudWatchCanaryMetrics(new CloudWatchClient({}));

/** Judge the step so far: alarms and canary-versus-baseline metrics. */
export const handler = rolloutStepHandler('judge-canary', async (event: JudgeCanaryEvent) => {
  try {
    return counted(await judgeCanaryStep(event, { metrics: canaryMetrics, now: new Date() }));
  } catch (e) {
    metrics.addMetric('CanaryStepFailed', 'Count', 1);
    throw e;
  }
});

/** A passed step as metrics: the canary's error ratio and p99 latency; a look mid-bake counts nothing. */
function counted(progress: CanaryProgress): CanaryProgress {
  if (progress.baking) return progress;
  const last = progress.judgements[progress.judgements.length - 1];
  metrics.addMetric('CanaryStepPassed', 'Count', 1);
  if (last) {
    metrics.addMetric('CanaryErrorRatio', 'Percent', last.canary.errorRatio * 100);
    if (last.canary.p99LatencySeconds !== null)
      metrics.addMetric('CanaryP99Latency', 'Seconds', last.canary.p99LatencySeconds);
  }
  return progress;
}
