import type { Images } from '../fleet/ports';
import type { LedgerStore } from '../ledger/ports';
import { ImageNotFound, PromotionCancelled } from '../shared/errors';
import type { CanaryStart, CanaryStatus, StillReleased } from '../shared/promotion-documents';
import type { PromotionEvent } from '../shared/workflow/promotion-steps';
import type { Notifier, PendingApproval, PromotionStore, StateMachineExecutions } from './ports';
import { approvalMessage, promotionOutcome } from './messages';

/**
 * One operation's event, as its state sends it (lambda/shared/workflow/promotion-steps.ts): every
 * one carries the environment's settings, the execution and the promotion.
 */
type Operation<O extends PromotionEvent['op']> = Omit<Extract<PromotionEvent, { readonly op: O }>, 'op'>;

/** A promotion waits this long between looks at a busy fleet or a running canary. */
export const PROMOTION_POLL_SECONDS = 300;

/**
 * Before anything starts (after the soak, and again after an approval): the image must still be
 * what the upstream environment runs, and still exist here. A rollback upstream, or a newer
 * release there, cancels the promotion; an image deregistered meanwhile fails it as missing.
 */
export async function checkStillReleased(
  e: Operation<'check'>,
  d: {
    store: Pick<PromotionStore, 'latestUpstreamRelease'>;
    images: Pick<Images, 'describe'>;
    now: Date;
  },
): Promise<StillReleased> {
  const { settings: s, promotion: p } = e;
  const latest = await d.store.latestUpstreamRelease(p.from);
  if (!latest || latest.imageId !== p.imageId) {
    const since = latest
      ? `it ${latest.action === 'rollback' ? 'rolled back to' : 'released'} ${latest.imageId} at ${latest.releasedAt}`
      : 'it announced no release since';
    throw new PromotionCancelled(
      `${p.from} no longer runs ${p.imageId} (released there at ${p.releasedAt}): ${since}; ${s.environment} stays on its own release`,
    );
  }
  const image = await d.images.describe(p.imageId);
  if ('missing' in image || image.state !== 'available') {
    const why =
      'missing' in image
        ? `does not exist${image.code ? ` (${image.code})` : ''}`
        : `is ${image.state ?? 'not available'}`;
    throw new ImageNotFound(
      `${p.imageId}, released in ${p.from} at ${p.releasedAt}, ${why} in ${s.environment}; nothing was started`,
    );
  }
  return { checkedAt: d.now.toISOString(), releasedUpstreamAt: latest.releasedAt };
}

/**
 * Ask a person to approve: keep the task token where `npm run approve` finds it, and notify with
 * the exact commands to approve or reject. The promotion waits for the answer or its timeout.
 */
export async function requestApproval(
  e: Operation<'request-approval'>,
  d: { store: Pick<PromotionStore, 'putApproval'>; notifier: Notifier; now: Date },
): Promise<{ requestedAt: string; expiresAt: string }> {
  const { settings: s, promotion: p } = e;
  const approval: PendingApproval = {
    imageId: p.imageId,
    from: p.from,
    taskToken: e.taskToken,
    execution: e.execution.id,
    requestedAt: d.now.toISOString(),
    expiresAt: new Date(d.now.getTime() + s.approvalTimeoutHours * 3_600_000).toISOString(),
  };
  await d.store.putApproval(approval);
  const { subject, message } = approvalMessage(s, p, approval);
  await d.notifier.notify(subject, message);
  return { requestedAt: approval.requestedAt, expiresAt: approval.expiresAt };
}

/**
 * Start the canary of the promoted image, unless another rollout holds the fleet: then wait
 * and try again (a promotion must not be lost to a busy fleet, nor fail for it).
 */
export async function startCanary(
  // Only the attempts so far are read; none is the first attempt.
  e: Omit<Operation<'start-canary'>, 'canary'> & {
    readonly canary?: Pick<Operation<'start-canary'>['canary'], 'attempt'>;
  },
  d: { ledger: Pick<LedgerStore, 'holder'>; rollouts: Pick<StateMachineExecutions, 'start'>; now: Date },
): Promise<CanaryStart> {
  const { promotion: p } = e;
  const attempt = e.canary?.attempt ?? 0;
  const holder = await d.ledger.holder();
  if (holder && holder.expiresAt * 1000 > d.now.getTime()) {
    return {
      started: false,
      attempt,
      waitSeconds: PROMOTION_POLL_SECONDS,
      reason: `${holder.owner} holds the fleet (${holder.action} since ${holder.acquiredAt}); trying again in ${PROMOTION_POLL_SECONDS} s`,
    };
  }
  const next = attempt + 1;
  const executionArn = await d.rollouts.start(`${e.execution.name}-canary-${next}`, {
    action: 'canary',
    imageId: p.imageId,
    trigger: 'promotion',
    reason: `promotion of ${p.imageId}, released in ${p.from} at ${p.releasedAt}`,
  });
  return { started: true, attempt: next, executionArn, reason: `canary ${executionArn} started` };
}

/** How the promoted canary is doing: still running, released, refused for a busy fleet, or failed. */
export async function canaryStatus(
  e: Omit<Operation<'canary-status'>, 'canary'> & {
    readonly canary: Pick<Operation<'canary-status'>['canary'], 'executionArn'>;
  },
  d: { rollouts: Pick<StateMachineExecutions, 'describe'> },
): Promise<CanaryStatus> {
  const view = await d.rollouts.describe(e.canary.executionArn ?? '');
  if (view.status === 'RUNNING' || view.status === 'PENDING_REDRIVE')
    return { done: false, waitSeconds: PROMOTION_POLL_SECONDS };
  if (view.status === 'SUCCEEDED') return { done: true, succeeded: true, waitSeconds: 0 };
  return {
    done: true,
    succeeded: false,
    retry: view.error === 'RolloutInProgress',
    waitSeconds: PROMOTION_POLL_SECONDS,
    error: view.error ?? `States.${view.status}`,
    // Always present: the state machine copies it into the error it reports.
    cause: view.cause ?? `the canary ended ${view.status}`,
  };
}

/** The promotion ended without a release: say why, to the environment's topic. */
export async function notifyOutcome(
  e: Operation<'notify-outcome'>,
  d: { notifier: Notifier },
): Promise<{ notified: true }> {
  const { subject, message } = promotionOutcome(e.settings, e.promotion, e.error);
  await d.notifier.notify(subject, message);
  return { notified: true };
}
