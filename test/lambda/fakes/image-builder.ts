import type { BuiltImage, DistributedAmi, ImageBuilder } from '../../../lambda/factory/ports';
import type { Severity } from '../../../lambda/shared/severities';
import { awsError } from '../aws-errors';
import { Failures } from './failures';

export interface FakeBuild {
  pipelineArn?: string;
  amis: DistributedAmi[];
  scanStatus?: string;
  findings: Record<Severity, number>;
}

export const NO_FINDINGS: Record<Severity, number> = { LOW: 0, MEDIUM: 0, HIGH: 0, CRITICAL: 0 };

/** Image Builder held in memory: each image build version's pipeline, AMIs, scan state and findings. */
export class FakeImageBuilder implements ImageBuilder {
  readonly builds = new Map<string, FakeBuild>();
  /** The build each findings read asked about. */
  readonly findingReads: string[] = [];
  readonly failures = new Failures<'image' | 'findings'>();

  async image(imageBuildVersionArn: string): Promise<BuiltImage> {
    await this.failures.check('image');
    const b = this.build(imageBuildVersionArn);
    return {
      ...(b.pipelineArn ? { pipelineArn: b.pipelineArn } : {}),
      amis: b.amis,
      ...(b.scanStatus ? { scanStatus: b.scanStatus } : {}),
    };
  }

  async findings(imageBuildVersionArn: string): Promise<Readonly<Record<Severity, number>>> {
    await this.failures.check('findings');
    this.findingReads.push(imageBuildVersionArn);
    return this.build(imageBuildVersionArn).findings;
  }

  private build(arn: string): FakeBuild {
    const build = this.builds.get(arn);
    if (!build) throw awsError('ResourceNotFoundException', `${arn} not found`);
    return build;
  }
}
