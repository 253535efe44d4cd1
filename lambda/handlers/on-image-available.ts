import { ImagebuilderClient } from '@aws-sdk/client-imagebuilder';
import { SFNClient } from '@aws-sdk/client-sfn';
import { ImageBuilderApi } from '../aws/imagebuilder';
import { StepFunctionsExecutions } from '../aws/sfn';
import { logger, metrics } from '../runtime/handler';
import { requiredEnv, requiredEnvOneOf } from '../runtime/env';
import { onImageAvailable } from '../triggers/image-available';
import type { ImageAvailableDeps } from '../triggers/image-available';
import { SEVERITIES } from '../shared/severities';

const deps: ImageAvailableDeps = {
  imageBuilder: new ImageBuilderApi(new ImagebuilderClient({})),
  executions: new StepFunctionsExecutions(new SFNClient({}), requiredEnv('STATE_MACHINE_ARN')),
  region: requiredEnv('AWS_REGION'),
  // Validated here, at cold start: an unknown severity must fail loudly, not weaken the gate.
  failOnSeverity: requiredEnvOneOf('SCAN_FAIL_ON_SEVERITY', SEVERITIES),
};

/** EventBridge → a baked image is AVAILABLE → start its canary (unless the scan gate refuses it). */
export const handler = async (event: unknown) => {
  // The event crosses a trust boundary: onImageAvailable parses it with its schema first.
  const result = await onImageAvailable(event, deps);
  if (result.started) logger.info('canary started', result);
  else logger.warn('image not rolled out', result);
  metrics.addMetric(result.started ? 'ImagesRolledOut' : 'ImagesRefused', 'Count', 1);
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  return result;
};
