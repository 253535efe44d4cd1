/**
 * Errors the state machine catches by name. A Lambda error's type is the error's `name`,
 * so each class pins its own; Retry and Catch clauses in the workflow refer to these names.
 */
export abstract class RolloutError extends Error {
  abstract override readonly name: string;
}

/** The execution input is malformed; nothing was changed. */
export class InvalidInput extends RolloutError {
  override readonly name = 'InvalidInput';
}
/** Another rollout holds the fleet's lock. */
export class RolloutInProgress extends RolloutError {
  override readonly name = 'RolloutInProgress';
}
/** The image to roll out does not exist (or is not available) in this account and region. */
export class ImageNotFound extends RolloutError {
  override readonly name = 'ImageNotFound';
}
/** The image was never released successfully in the environment this one promotes from. */
export class ImageNotPromoted extends RolloutError {
  override readonly name = 'ImageNotPromoted';
}
/** There is no earlier release to return to. */
/** The image is not this product's: another owner, or no announcement from the image factory. */
export class ImageNotTrusted extends RolloutError {
  override readonly name = 'ImageNotTrusted';
}

/** The image has no completed vulnerability scan, or its findings reach this environment's threshold. */
export class ImageNotScanned extends RolloutError {
  override readonly name = 'ImageNotScanned';
}

export class NothingToRollBack extends RolloutError {
  override readonly name = 'NothingToRollBack';
}
/** The instance refresh ended in a state other than Successful. */
export class RefreshFailed extends RolloutError {
  override readonly name = 'RefreshFailed';
}
/** The canary colour's targets did not all become healthy before the deadline. */
export class CanaryUnhealthy extends RolloutError {
  override readonly name = 'CanaryUnhealthy';
}
/** A canary step was judged bad: alarms or metrics beyond their thresholds. */
export class CanaryFailed extends RolloutError {
  override readonly name = 'CanaryFailed';
}
/** The fleet is not in a state this action can start from (e.g. a group is missing). */
export class FleetNotReady extends RolloutError {
  override readonly name = 'FleetNotReady';
}

/** A promotion's image is no longer what the upstream environment runs (a rollback or a newer release there). */
export class PromotionCancelled extends RolloutError {
  override readonly name = 'PromotionCancelled';
}
/** A person refused a promotion that waited for approval. */
export class ApprovalRejected extends RolloutError {
  override readonly name = 'ApprovalRejected';
}
/** An approval was given for a promotion that is not waiting for one (none asked yet, or it ended). */
export class NoPendingApproval extends RolloutError {
  override readonly name = 'NoPendingApproval';
}

/** An event a rule delivered does not have the shape its schema requires; nothing was done. */
export class MalformedEvent extends RolloutError {
  override readonly name = 'MalformedEvent';
}

/** Names of every error above, for the state machine's Catch clauses and the docs. */
export const ROLLOUT_ERROR_NAMES = [
  'InvalidInput',
  'RolloutInProgress',
  'ImageNotFound',
  'ImageNotPromoted',
  'ImageNotTrusted',
  'ImageNotScanned',
  'NothingToRollBack',
  'RefreshFailed',
  'CanaryUnhealthy',
  'CanaryFailed',
  'FleetNotReady',
  'PromotionCancelled',
  'ApprovalRejected',
  'NoPendingApproval',
  'MalformedEvent',
] as const;
export type RolloutErrorName = (typeof ROLLOUT_ERROR_NAMES)[number];
