import type { Severity } from '../shared/severities';

/**
 * What the image factory's functions ask of Image Builder. lambda/aws/ implements the port with
 * the AWS SDK; domain tests use in-memory fakes.
 */

/** An AMI an image build distributed; Image Builder may leave either field out. */
export interface DistributedAmi {
  readonly region?: string;
  readonly imageId?: string;
}

/** An image build version as Image Builder describes it. */
export interface BuiltImage {
  /** The pipeline that built it (absent for an image built outside a pipeline). */
  readonly pipelineArn?: string;
  /** The AMIs it was distributed as, one per region. */
  readonly amis: readonly DistributedAmi[];
  /** Its vulnerability scan's state: COMPLETED once findings are final (PENDING, SCANNING, ABANDONED, FAILED, TIMED_OUT otherwise). */
  readonly scanStatus?: string;
}

export interface ImageBuilder {
  image(imageBuildVersionArn: string): Promise<BuiltImage>;
  /** The image build version's vulnerability findings, counted by severity. */
  findings(imageBuildVersionArn: string): Promise<Readonly<Record<Severity, number>>>;
}
