import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbLedgerStore } from '../aws/dynamodb';
import { logger } from '../runtime/handler';
import { checkAtColdStart, fromEnvironment } from '../runtime/env';
import { releaseAbandonedLock } from '../triggers/abandoned-lock';

const db = new DynamoDBClient({});
const deps = fromEnvironment(['TABLE_NAME'], (env) => ({
  store: new DynamoDbLedgerStore(db, env.TABLE_NAME ?? ''),
}));
checkAtColdStart(deps);

/** EventBridge → a rollout execution was stopped or timed out → free the fleet it held. */
export const handler = async (event: unknown) => {
  // The event crosses a trust boundary: releaseAbandonedLock parses it with its schema first.
  const result = await releaseAbandonedLock(event, deps());
  logger.info(result.released ? 'released the lock of an ended execution' : 'no lock to release', result);
  return result;
};
