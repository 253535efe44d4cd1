import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SSMClient } from '@aws-sdk/client-ssm';
import { acquireLock, recordFinish, recordRelease, recordStart, releaseLock } from '../ledger/operations';
import type { LedgerEvent } from '../ledger/operations';
import { RuntimeParameters } from '../ledger/runtime-parameters';
import { LedgerStore } from '../ledger/store';
import { metrics, stepHandler } from '../runtime/handler';

const db = new DynamoDBClient({});
const ssm = new SSMClient({});

/** The fleet's lock, record and ledger: one table and the runtime parameters. */
export const handler = stepHandler('ledger', async (event: LedgerEvent) => {
  const deps = {
    store: new LedgerStore(db, event.settings.table),
    parameters: new RuntimeParameters(ssm, event.settings.parameters),
    now: new Date(),
  };
  switch (event.op) {
    case 'acquire':
      return acquireLock(event, deps);
    case 'start':
      return recordStart(event, deps);
    case 'release':
      return recordRelease(event, deps);
    case 'finish': {
      const finished = await recordFinish(event, deps);
      const { request, plan } = event.document;
      metrics.addDimensions({ action: request.action, outcome: finished.outcome });
      metrics.addMetric('Rollouts', 'Count', 1);
      metrics.addMetric(
        'RolloutDuration',
        'Seconds',
        (deps.now.getTime() - Date.parse(event.execution.startedAt)) / 1000,
      );
      if (finished.outcome === 'SUCCEEDED' && plan?.kind === 'refresh')
        metrics.addMetric('InstancesReplaced', 'Count', plan.instances);
      return finished;
    }
    case 'unlock':
      return releaseLock(event, deps);
  }
});
