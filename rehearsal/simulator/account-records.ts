import type { Colour } from './types';

/**
 * The records the simulated account keeps: images, the launch template and its versions, the
 * groups and their instances. The world owns them; the engines and services read and move them.
 */

/**
 * How instances of an image behave in this fleet: an image may behave differently in another
 * environment (its data or traffic exposes a defect). What EC2 knows of the image (owner, tags,
 * launch permissions) is the region's image catalog's.
 */
export interface ImageBehaviour {
  readonly healthy: boolean;
  readonly errorRate: number;
  readonly p99LatencyMs: number;
}

export interface LaunchTemplateVersionRecord {
  readonly number: number;
  readonly description?: string;
  readonly data: Record<string, unknown>;
  readonly createdAt: Date;
}

export interface LaunchTemplateRecord {
  readonly id: string;
  readonly name: string;
  defaultVersion: number;
  latestVersion: number;
  readonly versions: Map<number, LaunchTemplateVersionRecord>;
  readonly createdAt: Date;
}

/**
 * Detaching: taken out of its group and draining from its target group; Detached: running on
 * its own, in no group.
 */
export type LifecycleState =
  'Pending' | 'InService' | 'Terminating' | 'Terminated' | 'Detaching' | 'Detached';

export interface Instance {
  readonly id: string;
  readonly group: Group;
  readonly imageId: string;
  /** The concrete launch template version number it was launched from, as a string. */
  readonly launchTemplateVersion: string;
  readonly availabilityZone: string;
  /** Seconds since the start of the run (negative for instances running before it). */
  readonly launchedAt: number;
  state: LifecycleState;
  inServiceAt?: number;
  /** The load balancer's view, once InService. */
  targetHealthy: boolean;
  /** A failing target still in its initial health checks (not yet counted unhealthy). */
  targetInitial?: boolean;
  healthStatus: 'Healthy' | 'Unhealthy';
  /** The refresh phase that launched it, if any. */
  readonly refreshTag?: string;
  /** Why it is Terminated without ever running (a failed launch). */
  readonly launchError?: string;
  /** Tags put on the instance after launch (CreateTags), by key. */
  readonly tags?: Map<string, string>;
}

export interface Group {
  readonly name: string;
  readonly colour: Colour;
  readonly targetGroupArn: string;
  min: number;
  max: number;
  desired: number;
  launchTemplateVersion: string;
  healthCheckGracePeriod: number;
  defaultInstanceWarmup: number;
  /** Pending and InService instances, by id. */
  readonly live: Map<string, Instance>;
  /** Terminating and Detaching instances (draining from the target group). */
  readonly draining: Map<string, Instance>;
  /** Extra capacity an instance refresh launches before terminating (MaxHealthyPercentage > 100). */
  surge: number;
  launchRetryAt: number;
  consecutiveLaunchFailures: number;
  readonly createdAt: Date;
  // Counters kept in step with every state change, so observing the fleet never walks instances.
  pending: number;
  readonly inServiceByImage: Map<string, number>;
  readonly healthyByImage: Map<string, number>;
  inService: number;
  /** InService instances whose failing targets are still in their initial health checks. */
  initial: number;
  healthy: number;
}
