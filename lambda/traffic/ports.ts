import type { ColourMap } from '../shared/colours';
import type { WorkflowSettings } from '../shared/settings';

/**
 * What the workflow asks of the load balancer: the listener that splits traffic between the
 * colours, and the health of each colour's targets. lambda/aws/ implements the ports with the
 * AWS SDK; domain tests use in-memory fakes.
 */

/** The listener, and the target group that serves each colour. */
export type ListenerRef = Pick<WorkflowSettings, 'listenerArn' | 'targetGroups'>;

export interface Listener {
  /** Each colour's share of the listener's traffic, in percent. */
  weights(listener: ListenerRef): Promise<ColourMap<number>>;
  /** Split the listener's traffic between the colours by these percentages, from now on. */
  setWeights(listener: ListenerRef, weights: ColourMap<number>): Promise<void>;
}

/** A target registered in a target group, and the load balancer's health state for it. */
export interface TargetView {
  readonly id: string;
  /** healthy, initial, unhealthy, draining, unused, unavailable, … */
  readonly state: string;
}

export interface TargetHealth {
  /** The targets registered in a target group, each with its health state. */
  of(targetGroupArn: string): Promise<readonly TargetView[]>;
}
