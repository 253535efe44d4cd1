import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDbLedgerStore } from '../aws/dynamodb';
import { StepFunctionsExecutions } from '../aws/sfn';
import { logger, metrics } from '../runtime/handler';
import { checkAtColdStart, fromEnvironment } from '../runtime/env';
import { releaseAbandonedLock } from '../triggers/abandoned-lock';

const db = new DynamoDBClient({});
const sfn = new SFNClient({});
const deps = fromEnvironment(['TABLE_NAME', 'STATE_MACHINE_ARN'], (env) => ({
  store: new DynamoDbLedgerStore(db, env.TABLE_NAME ?? ''),
  executions: new StepFunctionsExecutions(sfn, env.STATE_MACHINE_ARN ?? ''),
}));
checkAtColdStart(deps);

/**
 * EventBridge → a rollout execution failed, was stopped or timed out → free the fleet it held,
 * and restore the fleet if it was left short of its safe state. A restore refused by the hourly
 * bound is counted as AutomaticRestoresRefused, which an alarm watches.
 */
export const handler = async (event: unknown) => {
  // The event crosses a trust boundary: releaseAbandonedLock parses it with its schema first.
  const result = await releaseAbandonedLock(event, { ...deps(), now: new Date() });
  logger.info(result.released ? 'released the lock of an ended execution' : 'no lock to release', result);
  if (result.restore && 'refused' in result.restore) {
    logger.error('automatic restore refused', result);
    metrics.addMetric('AutomaticRestoresRefused', 'Count', 1);
  }
  if (result.restore?.started) metrics.addMetric('AutomaticRestoresStarted', 'Count', 1);
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  return result;
};
