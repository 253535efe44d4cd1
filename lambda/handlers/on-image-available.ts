import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDbPromotionStore } from '../aws/dynamodb-promotion';
import { StepFunctionsExecutions } from '../aws/sfn';
import { ConfigurationError, deployedHandler, required } from '../runtime/composition';
import type { Composition, Variables } from '../runtime/composition';
import { logger, metrics } from '../runtime/handler';
import { isSeverity } from '../shared/severities';
import type { Severity } from '../shared/severities';
import { onImageAvailable } from '../triggers/image-available';

export interface OnImageAvailableConfig {
  readonly table: string;
  readonly stateMachineArn: string;
  readonly region: string;
  readonly failOnSeverity: Severity;
  readonly takesFactoryImages: boolean;
  readonly factoryAccount: string;
}

export function configure(variables: Variables): OnImageAvailableConfig {
  const failOnSeverity = required(variables, 'SCAN_FAIL_ON_SEVERITY');
  // A gate that cannot read its threshold must not guess one.
  if (!isSeverity(failOnSeverity))
    throw new ConfigurationError(
      `SCAN_FAIL_ON_SEVERITY must be LOW, MEDIUM, HIGH or CRITICAL, got ${JSON.stringify(failOnSeverity)}`,
    );
  const takes = required(variables, 'TAKES_FACTORY_IMAGES');
  if (takes !== 'true' && takes !== 'false')
    throw new ConfigurationError(
      `TAKES_FACTORY_IMAGES must be "true" or "false", got ${JSON.stringify(takes)}`,
    );
  return {
    table: required(variables, 'TABLE_NAME'),
    stateMachineArn: required(variables, 'STATE_MACHINE_ARN'),
    // Lambda sets AWS_REGION itself: the function's own region.
    region: required(variables, 'AWS_REGION'),
    failOnSeverity,
    takesFactoryImages: takes === 'true',
    factoryAccount: required(variables, 'IMAGE_FACTORY_ACCOUNT'),
  };
}

/** EventBridge → the image factory announced an image → record it, and start its canary here if this environment takes them. */
export function create({
  config,
  clients,
  clock,
}: Composition<OnImageAvailableConfig, { dynamodb: DynamoDBClient; sfn: SFNClient }>) {
  const { table, stateMachineArn, ...settings } = config;
  const deps = {
    ...settings,
    store: new DynamoDbPromotionStore(clients.dynamodb, table),
    executions: new StepFunctionsExecutions(clients.sfn, stateMachineArn),
  };
  return async (event: unknown) => {
    // The event crosses a trust boundary: onImageAvailable parses it with its schema first.
    const result = await onImageAvailable(event, { ...deps, now: clock() });
    if (result.started) logger.info('canary started', result);
    else logger.info('image not rolled out here', result);
    metrics.addMetric(result.started ? 'ImagesRolledOut' : 'ImagesNotRolledOut', 'Count', 1);
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    return result;
  };
}

export const handler = deployedHandler({ configure, create }, () => ({
  dynamodb: new DynamoDBClient({}),
  sfn: new SFNClient({}),
}));
