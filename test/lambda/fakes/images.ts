import type { Images, ImageView, MissingImage } from '../../../lambda/fleet/ports';
import { awsError } from '../aws-errors';
import { Failures } from './failures';
import { ACCOUNT } from '../fixtures';

export interface FakeImage {
  state: string;
  tags: Record<string, string>;
  /** `self`, or the account that owns an image shared with this one. */
  owner: string;
}

/** AMIs held in memory, with their tags; writes change what later reads see. */
export class FakeImages implements Images {
  readonly images = new Map<string, FakeImage>();
  /** Ids EC2 refuses to describe, with the error code it refuses them with. */
  readonly refused = new Map<string, string>();
  /** The ids described, in order. */
  readonly described: string[] = [];
  /** The ids each tag read asked about. */
  readonly tagReads: string[][] = [];
  /** Every tag write, in order. */
  readonly writes: Array<
    { add: string[]; tags: Record<string, string> } | { remove: string[]; keys: string[] }
  > = [];
  readonly failures = new Failures<'describe' | 'tagsOf' | 'taggedWith' | 'addTags' | 'removeTags'>();

  /** An image available in this account, with these tags. */
  put(id: string, o: Partial<FakeImage> = {}): this {
    this.images.set(id, { state: 'available', tags: {}, owner: 'self', ...o });
    return this;
  }

  async describe(imageId: string): Promise<ImageView | MissingImage> {
    await this.failures.check('describe');
    this.described.push(imageId);
    const code = this.refused.get(imageId);
    if (code) return { missing: true, code };
    const image = this.images.get(imageId);
    if (!image) return { missing: true };
    return {
      id: imageId,
      state: image.state,
      // `self` is the fixtures' account.
      owner: image.owner === 'self' ? ACCOUNT : image.owner,
      tags: new Map(Object.entries(image.tags)),
    };
  }

  async tagsOf(imageIds: readonly string[]): Promise<ReadonlyMap<string, ReadonlyMap<string, string>>> {
    await this.failures.check('tagsOf');
    this.tagReads.push([...imageIds]);
    const own = imageIds.flatMap((id) => {
      const image = this.images.get(id);
      return image?.owner === 'self' ? [[id, new Map(Object.entries(image.tags))] as const] : [];
    });
    return new Map(own);
  }

  async taggedWith(key: string): Promise<readonly string[]> {
    await this.failures.check('taggedWith');
    return [...this.images].filter(([, i]) => i.owner === 'self' && key in i.tags).map(([id]) => id);
  }

  async addTags(imageIds: readonly string[], tags: Readonly<Record<string, string>>): Promise<void> {
    await this.failures.check('addTags');
    for (const id of imageIds) this.existing(id).tags = { ...this.existing(id).tags, ...tags };
    this.writes.push({ add: [...imageIds], tags: { ...tags } });
  }

  async removeTags(imageIds: readonly string[], keys: readonly string[]): Promise<void> {
    await this.failures.check('removeTags');
    for (const id of imageIds) {
      const image = this.existing(id);
      image.tags = Object.fromEntries(Object.entries(image.tags).filter(([k]) => !keys.includes(k)));
    }
    this.writes.push({ remove: [...imageIds], keys: [...keys] });
  }

  private existing(id: string): FakeImage {
    const image = this.images.get(id);
    if (!image) throw awsError('InvalidAMIID.NotFound', `The image id '[${id}]' does not exist`);
    return image;
  }
}
