import type { CaughtError } from '../shared/documents';
import type { PromotionSettings } from '../shared/settings';
import type { PendingApproval } from './ports';
import type { PromotionInput } from '../shared/promotion-documents';

/** The operator's command that answers an approval, as the README documents it. */
export const approveCommand = (environment: string, imageId: string, reject = false) =>
  `npm run approve -- --env ${environment} --image ${imageId}` + (reject ? ' --reject --reason "<why>"' : '');

/** The notification that asks a person to approve a promotion, with the exact commands. */
export function approvalMessage(
  s: PromotionSettings,
  p: PromotionInput,
  approval: PendingApproval,
): { subject: string; message: string } {
  return {
    subject: `[${s.environment}] approve ${p.imageId} from ${p.from}?`,
    message: [
      `${s.environment} is ready to start a canary of ${p.imageId}, released in ${p.from} at ${p.releasedAt}`,
      `and still running there after a ${s.soakMinutes}-minute soak.`,
      '',
      `Approve:  ${approveCommand(s.environment, p.imageId)}`,
      `Reject:   ${approveCommand(s.environment, p.imageId, true)}`,
      '',
      `Without an answer by ${approval.expiresAt} the promotion ends and ${s.environment} stays on its release.`,
      'Or answer with the AWS CLI:',
      `  aws stepfunctions send-task-success --task-token '${approval.taskToken}' --task-output '{"decision":"approve"}'`,
      `  aws stepfunctions send-task-failure --task-token '${approval.taskToken}' --error ApprovalRejected --cause '<why>'`,
      `Promotion: ${approval.execution}`,
    ].join('\n'),
  };
}

/** What a person needs to hear when a promotion ends without a canary, or its canary failed. */
export function promotionOutcome(
  s: PromotionSettings,
  p: PromotionInput,
  error: CaughtError,
): { subject: string; message: string } {
  const why = describe(error);
  const what: Record<string, string> = {
    PromotionCancelled: 'cancelled',
    ApprovalRejected: 'rejected',
    'States.Timeout': 'not approved in time',
    ImageNotFound: 'image gone',
    CanaryFailed: 'canary failed',
  };
  return {
    subject: `[${s.environment}] promotion of ${p.imageId} from ${p.from}: ${what[error.Error] ?? error.Error}`,
    message: [
      `The promotion of ${p.imageId} (released in ${p.from} at ${p.releasedAt}) to ${s.environment} ended without a release.`,
      error.Error === 'States.Timeout'
        ? `Nobody approved it within ${s.approvalTimeoutHours} hours.`
        : `${error.Error}: ${why}`,
      `${s.environment} stays on the image it runs. A later release in ${p.from} is promoted as usual; to roll this one out`,
      `anyway, start {"action":"canary","imageId":"${p.imageId}"} once it is released in ${p.from}.`,
    ].join('\n'),
  };
}

/** A Lambda error's cause arrives as the runtime's JSON; other causes are plain text. */
function describe(error: CaughtError): string {
  const cause = error.Cause ?? '';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') return parsed.errorMessage;
  } catch {
    // plain text
  }
  return cause;
}
