import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchCanaryMetrics } from '../aws/cloudwatch';
import { judgeCanaryStep } from '../canary/steps';
import type { JudgeCanaryEvent } from '../canary/steps';
import { deployedHandler } from '../runtime/composition';
import type { Composition } from '../runtime/composition';
import { metrics, stepHandler } from '../runtime/handler';
import type { Payload } from '../runtime/handler';
import { stepConfig } from '../runtime/step-config';
import type { CanaryProgress } from '../shared/documents';
import type { StepSettings } from '../shared/step-settings';

export const configure = stepConfig('judge-canary');

/** Judge the step so far: alarms and canary-versus-baseline metrics. */
export function create({
  config,
  clients,
  clock,
}: Composition<StepSettings<'judge-canary'>, { cloudWatch: CloudWatchClient }>) {
  const canaryMetrics = new CloudWatchCanaryMetrics(clients.cloudWatch);
  return stepHandler('judge-canary', async (event: Payload<JudgeCanaryEvent>) => {
    try {
      return counted(
        await judgeCanaryStep({ ...event, settings: config }, { metrics: canaryMetrics, now: clock() }),
      );
    } catch (e) {
      metrics.addMetric('CanaryStepFailed', 'Count', 1);
      throw e;
    }
  });
}

export const handler = deployedHandler({ configure, create }, () => ({
  cloudWatch: new CloudWatchClient({}),
}));

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
