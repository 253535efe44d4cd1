import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDbLedgerStore } from '../aws/dynamodb';
import { StepFunctionsExecutions } from '../aws/sfn';
import { deployedHandler, required } from '../runtime/composition';
import type { Composition, Variables } from '../runtime/composition';
import { logger, metrics } from '../runtime/handler';
import { releaseAbandonedLock } from '../triggers/abandoned-lock';

export interface ReleaseAbandonedLockConfig {
  readonly table: string;
  readonly stateMachineArn: string;
}

export const configure = (variables: Variables): ReleaseAbandonedLockConfig => ({
  table: required(variables, 'TABLE_NAME'),
  stateMachineArn: required(variables, 'STATE_MACHINE_ARN'),
});

/**
 * EventBridge → a rollout execution failed, was stopped or timed out → free the fleet it held,
 * and restore the fleet if it was left short of its safe state. A restore refused by the hourly
 * bound is counted as AutomaticRestoresRefused, which an alarm watches.
 */
export function create({
  config,
  clients,
  clock,
}: Composition<ReleaseAbandonedLockConfig, { dynamodb: DynamoDBClient; sfn: SFNClient }>) {
  const deps = {
    store: new DynamoDbLedgerStore(clients.dynamodb, config.table),
    executions: new StepFunctionsExecutions(clients.sfn, config.stateMachineArn),
  };
  return async (event: unknown) => {
    // The event crosses a trust boundary: releaseAbandonedLock parses it with its schema first.
    const result = await releaseAbandonedLock(event, { ...deps, now: clock() });
    logger.info(result.released ? 'released the lock of an ended execution' : 'no lock to release', result);
    if (result.restore && 'refused' in result.restore) {
      logger.error('automatic restore refused', result);
      metrics.addMetric('AutomaticRestoresRefused', 'Count', 1);
    }
    if (result.restore?.started) metrics.addMetric('AutomaticRestoresStarted', 'Count', 1);
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    return result;
  };
}

export const handler = deployedHandler({ configure, create }, () => ({
  dynamodb: new DynamoDBClient({}),
  sfn: new SFNClient({}),
}));
