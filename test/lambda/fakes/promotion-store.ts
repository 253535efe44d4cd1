import type {
  FactoryImage,
  PendingApproval,
  PromotionStore,
  UpstreamRelease,
} from '../../../lambda/promotion/ports';
import type { EnvironmentName } from '../../../lambda/shared/environments';
import { Failures } from './failures';

/** The environment table's promotion records held in memory, as the DynamoDB adapter keeps them. */
export class FakePromotionStore implements PromotionStore {
  readonly factoryImages = new Map<string, FactoryImage>();
  /** Any region's AMI of an announced image → this region's. */
  readonly localImages = new Map<string, string>();
  readonly latest = new Map<EnvironmentName, UpstreamRelease>();
  readonly released = new Map<string, UpstreamRelease>();
  readonly approvals = new Map<string, PendingApproval>();
  readonly failures = new Failures<keyof PromotionStore>();

  async recordFactoryImage(image: FactoryImage): Promise<void> {
    await this.failures.check('recordFactoryImage');
    this.factoryImages.set(image.imageId, structuredClone(image));
    for (const ami of [image.imageId, ...image.amis.map((a) => a.imageId)])
      this.localImages.set(ami, image.imageId);
  }

  async localImage(anyRegionImageId: string): Promise<string | undefined> {
    await this.failures.check('localImage');
    return this.localImages.get(anyRegionImageId);
  }

  async factoryImage(imageId: string): Promise<FactoryImage | undefined> {
    await this.failures.check('factoryImage');
    const i = this.factoryImages.get(imageId);
    return i && structuredClone(i);
  }

  async recordUpstreamRelease(release: UpstreamRelease): Promise<void> {
    await this.failures.check('recordUpstreamRelease');
    this.released.set(`${release.environment}#${release.imageId}`, { ...release });
    this.latest.set(release.environment, { ...release });
  }

  async latestUpstreamRelease(environment: EnvironmentName): Promise<UpstreamRelease | undefined> {
    await this.failures.check('latestUpstreamRelease');
    const r = this.latest.get(environment);
    return r && { ...r };
  }

  async upstreamRelease(environment: EnvironmentName, imageId: string): Promise<UpstreamRelease | undefined> {
    await this.failures.check('upstreamRelease');
    const r = this.released.get(`${environment}#${imageId}`);
    return r && { ...r };
  }

  async putApproval(approval: PendingApproval): Promise<void> {
    await this.failures.check('putApproval');
    this.approvals.set(approval.imageId, { ...approval });
  }

  async approval(imageId: string): Promise<PendingApproval | undefined> {
    await this.failures.check('approval');
    const a = this.approvals.get(imageId);
    return a && { ...a };
  }

  async pendingApprovals(): Promise<readonly PendingApproval[]> {
    await this.failures.check('pendingApprovals');
    return [...this.approvals.values()].map((a) => ({ ...a }));
  }

  async clearApproval(imageId: string, taskToken: string): Promise<void> {
    await this.failures.check('clearApproval');
    if (this.approvals.get(imageId)?.taskToken === taskToken) this.approvals.delete(imageId);
  }
}
