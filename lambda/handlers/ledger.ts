import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SSMClient } from '@aws-sdk/client-ssm';
import { DynamoDbLedgerStore } from '../aws/dynamodb';
import { SsmRuntimeParameters } from '../aws/ssm';
import { acquireLock, recordFinish, recordRelease, recordStart, releaseLock } from '../ledger/operations';
import type { LedgerEvent } from '../ledger/operations';
import { metrics, rolloutStepHandler } from '../runtime/handler';
import { ROLLOUTS_STARTED_METRIC } from '../shared/operations';

const db = new DynamoDBClient({});
const parameters = new SsmRuntimeParameters(new SSMClient({}));

/** The fleet's lock, record and ledger: one table and the runtime parameters. */
export const handler = rolloutStepHandler('ledger', async (event: LedgerEvent) => {
  // The table is named by the settings each execution carries.
  const deps = { store: new DynamoDbLedgerStore(db, event.settings.table), parameters, now: new Date() };
  switch (event.op) {
    case 'acquire':
      return started(event, await acquireLock(event, deps));
    case 'start':
      return recordStart(event, deps);
    case 'release':
      return recordRelease(event, deps);
    case 'finish':
      return counted(event, await recordFinish(event, deps), deps.now);
    case 'unlock':
      return releaseLock(event, deps);
  }
});

/** A rollout that took the lock, as a metric: one more started, of its action. */
function started<G>(event: Extract<LedgerEvent, { op: 'acquire' }>, grant: G): G {
  const m = metrics.singleMetric();
  m.addDimensions({ environment: event.settings.environment, action: event.request.action });
  m.addMetric(ROLLOUTS_STARTED_METRIC, 'Count', 1);
  return grant;
}

/** A finished rollout as metrics: its outcome, its duration, the instances it replaced. */
function counted<F extends { outcome: string }>(
  event: Extract<LedgerEvent, { op: 'finish' }>,
  finished: F,
  now: Date,
): F {
  const { request, plan } = event.document;
  metrics.addDimensions({
    environment: event.settings.environment,
    action: request.action,
    outcome: finished.outcome,
  });
  metrics.addMetric('Rollouts', 'Count', 1);
  metrics.addMetric(
    'RolloutDuration',
    'Seconds',
    (now.getTime() - Date.parse(event.execution.startedAt)) / 1000,
  );
  if (finished.outcome === 'SUCCEEDED' && plan?.kind === 'refresh')
    metrics.addMetric('InstancesReplaced', 'Count', plan.instances);
  return finished;
}
