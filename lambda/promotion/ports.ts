import type { EnvironmentName } from '../shared/environments';
import type { ImageAvailableDetail } from '../shared/events';

/**
 * What promotion between environments asks of AWS, in its own terms: the environment's table
 * (what the factory announced, what upstream released, approvals asked for), EventBridge, Step
 * Functions executions and task tokens, and the notification topic. lambda/aws/ implements the
 * ports with the AWS SDK; domain tests use in-memory fakes.
 */

/** An image the factory announced to this environment. */
export interface FactoryImage extends ImageAvailableDetail {
  /** The AMI in this environment's region. */
  readonly imageId: string;
  readonly announcedAt: string;
}

/** A release an upstream environment announced. */
export interface UpstreamRelease {
  readonly environment: EnvironmentName;
  /** The AMI in this environment's region (the copy of the upstream one, when regions differ). */
  readonly imageId: string;
  /** The AMI as the upstream environment announced it, when its region's copy has another id. */
  readonly upstreamImageId?: string;
  readonly action: 'canary' | 'rollback';
  readonly releasedAt: string;
  readonly execution: string;
}

/** A person's approval the promotion waits for. */
export interface PendingApproval {
  readonly imageId: string;
  readonly from: EnvironmentName;
  /** The Step Functions task token that resumes the promotion. */
  readonly taskToken: string;
  /** The promotion execution waiting. */
  readonly execution: string;
  readonly requestedAt: string;
  /** When the promotion stops waiting (its task's timeout). */
  readonly expiresAt: string;
}

export interface PromotionStore {
  /** Record an announcement: the image under this region's AMI, findable by every region's. */
  recordFactoryImage(image: FactoryImage): Promise<void>;
  factoryImage(imageId: string): Promise<FactoryImage | undefined>;
  /**
   * This region's AMI of the factory image that `anyRegionImageId` (an AMI of it in any region it
   * was distributed to) belongs to; undefined when the factory never announced it here.
   */
  localImage(anyRegionImageId: string): Promise<string | undefined>;

  /** Record an upstream release: the environment's latest, and one it has ever released. */
  recordUpstreamRelease(release: UpstreamRelease): Promise<void>;
  /** The upstream environment's current release, as its last announcement said. */
  latestUpstreamRelease(environment: EnvironmentName): Promise<UpstreamRelease | undefined>;
  /** Whether (and when) the upstream environment ever released the image. */
  upstreamRelease(environment: EnvironmentName, imageId: string): Promise<UpstreamRelease | undefined>;

  putApproval(approval: PendingApproval): Promise<void>;
  approval(imageId: string): Promise<PendingApproval | undefined>;
  pendingApprovals(): Promise<readonly PendingApproval[]>;
  /** Remove the pending approval, if it is still this token's. */
  clearApproval(imageId: string, taskToken: string): Promise<void>;
}

/** The account's EventBridge default bus. */
export interface ProductEvents {
  publish(source: string, detailType: string, detail: object): Promise<void>;
}

/** An execution as Step Functions describes it. */
export interface ExecutionView {
  readonly status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';
  readonly error?: string;
  readonly cause?: string;
}

/** Executions of one state machine. */
export interface StateMachineExecutions {
  /** Start one named `name`; its ARN (starting a running one again with the same input returns it). */
  start(name: string, input: object): Promise<string>;
  describe(executionArn: string): Promise<ExecutionView>;
}

/** Callbacks to a task waiting for its token. */
export interface TaskTokens {
  succeed(token: string, output: object): Promise<void>;
  fail(token: string, error: string, cause: string): Promise<void>;
}

/** The environment's notification topic. */
export interface Notifier {
  notify(subject: string, message: string): Promise<void>;
}
