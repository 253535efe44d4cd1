import type { ColourMap } from '../../../lambda/shared/colours';
import type { Listener, ListenerRef } from '../../../lambda/traffic/ports';
import { awsError } from '../aws-errors';
import { Failures } from './failures';

/** Listeners held in memory: each one's weight per target group ARN, as the load balancer keeps them. */
export class FakeListener implements Listener {
  private readonly listeners = new Map<string, Map<string, number>>();
  /** Every change of weights, in order. */
  readonly changes: Array<ColourMap<number>> = [];
  readonly failures = new Failures<'weights' | 'setWeights'>();

  /** A listener splitting traffic between the colours' target groups by `weights`. */
  constructor(listener: ListenerRef, weights: ColourMap<number>) {
    this.listeners.set(
      listener.listenerArn,
      new Map([
        [listener.targetGroups.blue, weights.blue],
        [listener.targetGroups.green, weights.green],
      ]),
    );
  }

  async weights(listener: ListenerRef): Promise<ColourMap<number>> {
    await this.failures.check('weights');
    const byTargetGroup = this.byArn(listener.listenerArn);
    return {
      blue: byTargetGroup.get(listener.targetGroups.blue) ?? 0,
      green: byTargetGroup.get(listener.targetGroups.green) ?? 0,
    };
  }

  async setWeights(listener: ListenerRef, weights: ColourMap<number>): Promise<void> {
    await this.failures.check('setWeights');
    const byTargetGroup = this.byArn(listener.listenerArn);
    byTargetGroup.clear();
    byTargetGroup.set(listener.targetGroups.blue, weights.blue);
    byTargetGroup.set(listener.targetGroups.green, weights.green);
    this.changes.push({ ...weights });
  }

  private byArn(arn: string): Map<string, number> {
    const listener = this.listeners.get(arn);
    if (!listener) throw awsError('ListenerNotFound', `Listener '${arn}' not found`);
    return listener;
  }
}
