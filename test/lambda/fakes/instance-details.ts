import type { InstanceDetails, InstanceTagger, InstanceView } from '../../../lambda/fleet/ports';

/** EC2 instances held in memory with their tags; tagging one changes what the next read sees. */
export class FakeInstanceDetails implements InstanceDetails, InstanceTagger {
  private readonly instances = new Map<
    string,
    { imageId?: string; launchTime?: Date; tags: Map<string, string> }
  >();
  /** Every tag call, in order. */
  readonly tagged: Array<{ ids: string[]; tags: Record<string, string> }> = [];

  put(id: string, o: { imageId?: string; launchTime?: Date; tags?: Record<string, string> } = {}): this {
    this.instances.set(id, {
      ...(o.imageId ? { imageId: o.imageId } : {}),
      ...(o.launchTime ? { launchTime: o.launchTime } : {}),
      tags: new Map(Object.entries(o.tags ?? {})),
    });
    return this;
  }

  describe(ids: readonly string[]): Promise<readonly InstanceView[]> {
    return Promise.resolve(
      ids.flatMap((id) => {
        const i = this.instances.get(id);
        return i ? [{ id, state: 'running', ...i, tags: new Map(i.tags) }] : [];
      }),
    );
  }

  tag(ids: readonly string[], tags: Readonly<Record<string, string>>): Promise<void> {
    this.tagged.push({ ids: [...ids], tags: { ...tags } });
    for (const id of ids) {
      const i = this.instances.get(id) ?? { tags: new Map<string, string>() };
      for (const [k, v] of Object.entries(tags)) i.tags.set(k, v);
      this.instances.set(id, i);
    }
    return Promise.resolve();
  }
}
