import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDbPromotionStore } from '../aws/dynamodb-promotion';
import { StepFunctionsExecutions } from '../aws/sfn';
import { logger, metrics } from '../runtime/handler';
import { checkAtColdStart, fromEnvironment } from '../runtime/env';
import { isSeverity } from '../shared/severities';
import { onImageAvailable } from '../triggers/image-available';

const db = new DynamoDBClient({});
const sfn = new SFNClient({});
const deps = fromEnvironment(
  [
    'TABLE_NAME',
    'STATE_MACHINE_ARN',
    'AWS_REGION',
    'SCAN_FAIL_ON_SEVERITY',
    'TAKES_FACTORY_IMAGES',
    'IMAGE_FACTORY_ACCOUNT',
  ],
  (env) => {
    const failOnSeverity = env.SCAN_FAIL_ON_SEVERITY;
    // A gate that cannot read its threshold must not guess one.
    if (!isSeverity(failOnSeverity))
      throw new Error(
        `SCAN_FAIL_ON_SEVERITY must be LOW, MEDIUM, HIGH or CRITICAL, got ${JSON.stringify(failOnSeverity)}`,
      );
    return {
      store: new DynamoDbPromotionStore(db, env.TABLE_NAME ?? ''),
      executions: new StepFunctionsExecutions(sfn, env.STATE_MACHINE_ARN ?? ''),
      region: env.AWS_REGION ?? '',
      failOnSeverity,
      takesFactoryImages: env.TAKES_FACTORY_IMAGES === 'true',
      factoryAccount: env.IMAGE_FACTORY_ACCOUNT ?? '',
    };
  },
);
checkAtColdStart(deps);

/** EventBridge → the image factory announced an image → record it, and start its canary here if this environment takes them. */
export const handler = async (event: unknown) => {
  // The event crosses a trust boundary: onImageAvailable parses it with its schema first.
  const result = await onImageAvailable(event, { ...deps(), now: new Date() });
  if (result.started) logger.info('canary started', result);
  else logger.info('image not rolled out here', result);
  metrics.addMetric(result.started ? 'ImagesRolledOut' : 'ImagesNotRolledOut', 'Count', 1);
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  return result;
};
