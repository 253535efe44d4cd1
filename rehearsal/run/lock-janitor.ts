import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbLedgerStore } from '../../lambda/aws/dynamodb';
import type { JanitorResult } from '../../lambda/triggers/abandoned-lock';
import { releaseAbandonedLock } from '../../lambda/triggers/abandoned-lock';
import type { Executions } from '../../lambda/triggers/ports';
import type { VirtualTime } from '../virtual-time';
import type { ExecutionOutcome } from './execution-driver';

/** Where the janitor acts: the run's clock, the fleet's table, and the executions it may start. */
export interface JanitorWorld {
  readonly vt: VirtualTime;
  readonly table: string;
  /** Starts an execution of the rehearsed state machine (its restore), as StartExecution would. */
  readonly executions: Executions;
}

/**
 * EventBridge delivers every failed, stopped or timed-out execution's status change to the
 * lock janitor, as the deployed app wires it: it frees the lock the execution may still hold
 * and, when the execution left the fleet short of its safe state, starts a restore, which the
 * rehearsal runs like any execution (the janitor's own calls count with the run's). EventBridge
 * invokes the janitor asynchronously, so a failed
 * attempt (a throttled call) is retried by Lambda twice, one then two minutes later; after that
 * the event is left in the dead-letter queue (and the lock to expire).
 * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
 */
export async function deliverExecutionEnded(
  outcome: ExecutionOutcome,
  arn: string,
  on: JanitorWorld,
): Promise<JanitorResult | undefined> {
  if (outcome.status === 'SUCCEEDED') return undefined;
  const event = {
    source: 'aws.states',
    'detail-type': 'Step Functions Execution Status Change',
    detail: {
      executionArn: arn,
      status: outcome.status,
      stateMachineArn: arn.replace(/:execution:([^:]+):[^:]+$/, ':stateMachine:$1'),
      error: outcome.error ?? null,
    },
  };
  for (const retryAfter of [60, 120, undefined]) {
    try {
      return await releaseAbandonedLock(event, {
        store: new DynamoDbLedgerStore(new DynamoDBClient({}), on.table),
        executions: on.executions,
        now: new Date(),
      });
    } catch {
      if (retryAfter === undefined) return undefined;
      await on.vt.sleep(retryAfter);
    }
  }
  return undefined;
}
