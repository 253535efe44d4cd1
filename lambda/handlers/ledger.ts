import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SSMClient } from '@aws-sdk/client-ssm';
import { DynamoDbLedgerStore } from '../aws/dynamodb';
import { SsmRuntimeParameters } from '../aws/ssm';
import { acquireLock, recordFinish, recordRelease, recordStart, releaseLock } from '../ledger/operations';
import type { LedgerEvent } from '../ledger/operations';
import { deployedHandler } from '../runtime/composition';
import type { Composition } from '../runtime/composition';
import { metrics, stepHandler } from '../runtime/handler';
import type { Payload } from '../runtime/handler';
import { stepConfig } from '../runtime/step-config';
import { ROLLOUTS_STARTED_METRIC } from '../shared/operations';
import type { StepSettings } from '../shared/step-settings';

export const configure = stepConfig('ledger');

type Clients = { dynamodb: DynamoDBClient; ssm: SSMClient };

/** The fleet's lock, record and ledger: one table and the runtime parameters. */
export function create({ config, clients, clock }: Composition<StepSettings<'ledger'>, Clients>) {
  const store = new DynamoDbLedgerStore(clients.dynamodb, config.table);
  const parameters = new SsmRuntimeParameters(clients.ssm);
  return stepHandler('ledger', async (payload: Payload<LedgerEvent>) => {
    const event = { ...payload, settings: config } as LedgerEvent;
    const deps = { store, parameters, now: clock() };
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
}

export const handler = deployedHandler({ configure, create }, () => ({
  dynamodb: new DynamoDBClient({}),
  ssm: new SSMClient({}),
}));

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
