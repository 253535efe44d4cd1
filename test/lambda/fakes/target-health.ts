import type { TargetHealth, TargetView } from '../../../lambda/traffic/ports';
import { awsError } from '../aws-errors';

/** Target groups held in memory: each registered target's health state. */
export class FakeTargetHealth implements TargetHealth {
  private readonly groups = new Map<string, Map<string, string>>();
  /** The target group each read asked for. */
  readonly reads: string[] = [];

  /** Register these targets (by instance id) in a target group, in these states, replacing any others. */
  register(targetGroupArn: string, states: Record<string, string> = {}): this {
    this.groups.set(targetGroupArn, new Map(Object.entries(states)));
    return this;
  }

  of(targetGroupArn: string): Promise<readonly TargetView[]> {
    this.reads.push(targetGroupArn);
    const targets = this.groups.get(targetGroupArn);
    if (!targets) return Promise.reject(awsError('TargetGroupNotFound', `${targetGroupArn} not found`));
    return Promise.resolve([...targets].map(([id, state]) => ({ id, state })));
  }
}
