import type { Severity } from '../../../lambda/shared/severities';
import type { DistributedAmi, ImageBuilder } from '../../../lambda/triggers/ports';
import { awsError } from '../aws-errors';
import { Failures } from './failures';

export interface FakeBuild {
  amis: DistributedAmi[];
  findings: Record<Severity, number>;
}

export const NO_FINDINGS: Record<Severity, number> = { LOW: 0, MEDIUM: 0, HIGH: 0, CRITICAL: 0 };

/** Image Builder held in memory: each image build version's AMIs and scan findings. */
export class FakeImageBuilder implements ImageBuilder {
  readonly builds = new Map<string, FakeBuild>();
  /** The build each findings read asked about. */
  readonly findingReads: string[] = [];
  readonly failures = new Failures<'amis' | 'findings'>();

  async amis(imageBuildVersionArn: string): Promise<readonly DistributedAmi[]> {
    await this.failures.check('amis');
    return this.build(imageBuildVersionArn).amis;
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
