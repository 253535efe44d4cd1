import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbLedgerStore } from '../../lambda/aws/dynamodb';
import { releaseAbandonedLock } from '../../lambda/triggers/abandoned-lock';
import type { FleetSimulator } from '../simulator';
import type { VirtualTime } from '../virtual-time';
import type { ExecutionOutcome } from './execution-driver';

/**
 * EventBridge delivers every failed, stopped or timed-out execution's status change to the
 * lock janitor, as the deployed app wires it: a stopped or timed-out execution runs none of
 * its own cleanup, and a failed one may end still holding the lock. The janitor's delete is
 * conditional on the owner, so it is only delivered here when this execution still holds the
 * lock (otherwise it is a no-op that would only add a DeleteItem to the counted calls).
 * EventBridge invokes it asynchronously, so a failed attempt (a throttled delete) is retried
 * by Lambda twice, one then two minutes later; after that the lock is left to expire.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
 */
export async function deliverExecutionEnded(
  status: ExecutionOutcome['status'],
  arn: string,
  on: { readonly sim: FleetSimulator; readonly vt: VirtualTime; readonly table: string },
): Promise<void> {
  if (status === 'SUCCEEDED') return;
  if (on.sim.item(on.table, { pk: 'fleet', sk: 'lock' })?.owner !== arn) return;
  const event = {
    source: 'aws.states',
    'detail-type': 'Step Functions Execution Status Change',
    detail: {
      executionArn: arn,
      status,
      stateMachineArn: arn.replace(/:execution:([^:]+):[^:]+$/, ':stateMachine:$1'),
    },
  };
  for (const retryAfter of [60, 120, undefined]) {
    try {
      await releaseAbandonedLock(event, {
        store: new DynamoDbLedgerStore(new DynamoDBClient({}), on.table),
      });
      return;
    } catch {
      if (retryAfter === undefined) return;
      await on.vt.sleep(retryAfter);
    }
  }
}
