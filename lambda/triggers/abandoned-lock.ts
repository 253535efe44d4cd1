import * as z from 'zod/mini';
import type { LedgerStore } from '../ledger/ports';
import { parseEvent } from '../shared/parse-event';

/**
 * "Step Functions Execution Status Change" for an execution that ended without running its
 * own cleanup (stopped, timed out). Its lock would otherwise block the fleet until expiry.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/eventbridge-integration.html
 */
export const executionStatusChangeSchema = z.object({
  source: z.literal('aws.states'),
  'detail-type': z.literal('Step Functions Execution Status Change'),
  detail: z.object({ executionArn: z.string(), status: z.string(), stateMachineArn: z.string() }),
});

const ENDED = new Set(['ABORTED', 'TIMED_OUT', 'FAILED']);

export async function releaseAbandonedLock(
  event: unknown,
  d: { store: Pick<LedgerStore, 'release'> },
): Promise<{ released: boolean; execution: string; status: string }> {
  const e = parseEvent(executionStatusChangeSchema, event, 'Step Functions execution status change');
  const { executionArn, status } = e.detail;
  if (!ENDED.has(status)) return { released: false, execution: executionArn, status };
  return { released: await d.store.release(executionArn), execution: executionArn, status };
}
