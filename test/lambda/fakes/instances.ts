import type { Instances } from '../../../lambda/fleet/ports';

/** EC2 instances held in memory, by id: when each was launched (if EC2 says). */
export class FakeInstances implements Instances {
  readonly launched = new Map<string, Date>();
  /** The ids each read asked about. */
  readonly reads: string[][] = [];

  launchTimes(ids: readonly string[]): Promise<ReadonlyMap<string, Date>> {
    this.reads.push([...ids]);
    const times = new Map<string, Date>();
    for (const id of ids) {
      const at = this.launched.get(id);
      if (at) times.set(id, at);
    }
    return Promise.resolve(times);
  }
}
