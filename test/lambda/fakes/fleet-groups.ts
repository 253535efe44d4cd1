import type { FleetGroups, GroupChange, GroupInstance, GroupView } from '../../../lambda/fleet/ports';
import type { ColourMap } from '../../../lambda/shared/colours';
import { awsError } from '../aws-errors';
import { Failures } from './failures';

/** How a test describes a group: as the fixtures describe one to DescribeAutoScalingGroups. */
export interface GroupSpec {
  min?: number;
  desired?: number;
  max?: number;
  version?: string;
  instances?: Array<{ id: string; lifecycle?: string; health?: string; version?: string }>;
}

interface Group {
  min: number;
  max: number;
  desired: number;
  version?: string;
  launchTemplateId?: string;
  instances: GroupInstance[];
}

/** Auto Scaling groups held in memory: reads see the last change, as they would in AWS. */
export class FakeFleetGroups implements FleetGroups {
  private readonly groups = new Map<string, Group>();
  /** The names each read asked for. */
  readonly reads: Array<ColourMap<string>> = [];
  /** Every change, in order. */
  readonly changes: Array<{ name: string } & GroupChange> = [];
  readonly failures = new Failures<'describe' | 'update'>();

  /** Create (or replace) a group. The defaults are the fixtures': version 7, min 2 if it has instances. */
  put(name: string, o: GroupSpec = {}): this {
    const instances = o.instances ?? [];
    const version = o.version ?? '7';
    this.groups.set(name, {
      min: o.min ?? (instances.length ? 2 : 0),
      max: o.max ?? 8,
      desired: o.desired ?? instances.length,
      version,
      instances: instances.map((i) => ({
        id: i.id,
        lifecycle: i.lifecycle ?? 'InService',
        healthy: (i.health ?? 'Healthy') === 'Healthy',
        version: i.version ?? version,
      })),
    });
    return this;
  }

  /** A group as it is now. */
  view(name: string): GroupView | undefined {
    const g = this.groups.get(name);
    if (!g) return undefined;
    return {
      name,
      min: g.min,
      max: g.max,
      desired: g.desired,
      ...(g.version ? { version: g.version } : {}),
      instances: g.instances.map((i) => ({ ...i })),
    };
  }

  async describe(names: ColourMap<string>): Promise<Partial<ColourMap<GroupView>>> {
    await this.failures.check('describe');
    this.reads.push({ ...names });
    return { blue: this.view(names.blue), green: this.view(names.green) };
  }

  async update(name: string, change: GroupChange): Promise<void> {
    await this.failures.check('update');
    const g = this.groups.get(name);
    if (!g) throw awsError('ValidationError', `AutoScalingGroup name not found - ${name}`);
    this.changes.push({ name, ...change });
    if (change.launchTemplate) {
      g.launchTemplateId = change.launchTemplate.id;
      g.version = change.launchTemplate.version;
    }
    if (change.min !== undefined) g.min = change.min;
    if (change.max !== undefined) g.max = change.max;
    if (change.desired !== undefined) g.desired = change.desired;
  }
}
