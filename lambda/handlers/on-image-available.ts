import { ImagebuilderClient } from '@aws-sdk/client-imagebuilder';
import { SFNClient } from '@aws-sdk/client-sfn';
import { logger, metrics } from '../runtime/handler';
import { requiredEnv } from '../runtime/env';
import { onImageAvailable } from '../triggers/image-available';
import type { Severity } from '../shared/severities';

const imagebuilder = new ImagebuilderClient({});
const sfn = new SFNClient({});
const stateMachineArn = requiredEnv('STATE_MACHINE_ARN');
const region = requiredEnv('AWS_REGION');
const failOnSeverity = requiredEnv('SCAN_FAIL_ON_SEVERITY') as Severity;

/** EventBridge → a baked image is AVAILABLE → start its canary (unless the scan gate refuses it). */
export const handler = async (event: unknown) => {
  const result = await onImageAvailable(event, {
    imagebuilder,
    sfn,
    stateMachineArn,
    region,
    failOnSeverity,
  });
  if (result.started) logger.info('canary started', result);
  else logger.warn('image not rolled out', result);
  metrics.addMetric(result.started ? 'ImagesRolledOut' : 'ImagesRefused', 'Count', 1);
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  return result;
};
