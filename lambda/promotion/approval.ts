import type { EnvironmentName } from '../shared/environments';
import { NoPendingApproval } from '../shared/errors';
import type { ApprovalAnswer } from '../shared/promotion-documents';
import type { PendingApproval, PromotionStore, TaskTokens } from './ports';

export interface ApprovalDecision {
  readonly environment: EnvironmentName;
  readonly imageId: string;
  readonly decision: 'approve' | 'reject';
  /** Who decided (recorded in the promotion's history). */
  readonly by: string;
  readonly reason?: string;
}

/**
 * A person's answer to a promotion waiting for approval. Only a request that exists now can be
 * answered: an approval given before the promotion asks for one is refused, not remembered (the
 * soak and the checks after it must come first).
 */
export async function decideApproval(
  request: ApprovalDecision,
  d: {
    store: Pick<PromotionStore, 'approval' | 'pendingApprovals' | 'clearApproval'>;
    tokens: TaskTokens;
    now: Date;
  },
): Promise<{ decided: ApprovalDecision['decision']; execution: string }> {
  const pending = await d.store.approval(request.imageId);
  if (!pending) throw new NoPendingApproval(noPending(request, await d.store.pendingApprovals()));
  if (Date.parse(pending.expiresAt) <= d.now.getTime()) {
    await d.store.clearApproval(pending.imageId, pending.taskToken);
    throw new NoPendingApproval(
      `the approval of ${request.imageId} in ${request.environment}, asked at ${pending.requestedAt}, expired at ${pending.expiresAt}; nothing was approved`,
    );
  }
  try {
    if (request.decision === 'approve') {
      // What Ask For Approval puts in the promotion's document.
      const answer: ApprovalAnswer = { decision: 'approve', by: request.by, at: d.now.toISOString() };
      await d.tokens.succeed(pending.taskToken, answer);
    } else {
      await d.tokens.fail(
        pending.taskToken,
        'ApprovalRejected',
        `${request.by} rejected ${request.imageId} for ${request.environment}: ${request.reason ?? 'no reason given'}`,
      );
    }
  } catch (e) {
    // The promotion stopped waiting (timed out, or was stopped) after the record was read.
    // @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskSuccess.html
    if (!(e instanceof Error) || !['TaskTimedOut', 'InvalidToken', 'TaskDoesNotExist'].includes(e.name))
      throw e;
    await d.store.clearApproval(pending.imageId, pending.taskToken);
    throw new NoPendingApproval(
      `the promotion of ${request.imageId} in ${request.environment} no longer waits for approval (${e.name}); nothing was approved`,
    );
  }
  await d.store.clearApproval(pending.imageId, pending.taskToken);
  return { decided: request.decision, execution: pending.execution };
}

function noPending(request: ApprovalDecision, pending: readonly PendingApproval[]): string {
  const waiting = pending.length
    ? `waiting: ${pending.map((p) => `${p.imageId} (from ${p.from}, until ${p.expiresAt})`).join(', ')}`
    : 'none is waiting';
  return (
    `no promotion of ${request.imageId} is waiting for approval in ${request.environment}, so nothing was ${request.decision === 'approve' ? 'approved' : 'rejected'}: ` +
    `an approval is only accepted once the promotion asks for one, after its soak (${waiting})`
  );
}
