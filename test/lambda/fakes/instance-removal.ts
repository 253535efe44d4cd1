import type { InstanceRemoval } from '../../../lambda/fleet/ports';
import type { FakeFleetGroups } from './fleet-groups';

/**
 * Detaching and terminating instances in memory: a detach takes the instances out of the fake
 * group and lowers its desired capacity by as many, as DetachInstances with
 * ShouldDecrementDesiredCapacity does.
 */
export class FakeInstanceRemoval implements InstanceRemoval {
  readonly detached: Array<{ group: string; ids: string[] }> = [];
  readonly terminated: string[][] = [];

  constructor(private readonly groups: FakeFleetGroups) {}

  detach(group: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return Promise.resolve();
    this.detached.push({ group, ids: [...ids] });
    const view = this.groups.view(group);
    if (view) {
      this.groups.put(group, {
        min: view.min,
        max: view.max,
        desired: view.desired - ids.length,
        ...(view.version ? { version: view.version } : {}),
        instances: view.instances
          .filter((i) => !ids.includes(i.id))
          .map((i) => ({ id: i.id, lifecycle: i.lifecycle, health: i.healthy ? 'Healthy' : 'Unhealthy' })),
      });
    }
    return Promise.resolve();
  }

  terminate(ids: readonly string[]): Promise<void> {
    if (ids.length > 0) this.terminated.push([...ids]);
    return Promise.resolve();
  }
}
