import type { Severity } from '../shared/severities';

/**
 * What the EventBridge triggers ask of Image Builder and of the rollout state machine.
 * lambda/aws/ implements the ports with the AWS SDK; domain tests use in-memory fakes.
 */

/** An AMI an image build distributed; Image Builder may leave either field out. */
export interface DistributedAmi {
  readonly region?: string;
  readonly imageId?: string;
}

export interface ImageBuilder {
  /** The AMIs an image build version distributed, one per region (and account). */
  amis(imageBuildVersionArn: string): Promise<readonly DistributedAmi[]>;
  /** The image build version's vulnerability findings, counted by severity (all zero when unscanned). */
  findings(imageBuildVersionArn: string): Promise<Readonly<Record<Severity, number>>>;
}

/** Executions of the rollout state machine. */
export interface Executions {
  /**
   * Start one named `name` with `input`; its ARN. One execution per name: starting a running
   * one again with the same input returns it, anything else fails (ExecutionAlreadyExists).
   * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html
   */
  start(name: string, input: object): Promise<string>;
}
