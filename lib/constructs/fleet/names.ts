import { APP_PREFIX, resourcePrefix } from '../../config';
import type { Colour, EnvironmentName } from '../../config';

/**
 * Physical names of the fleet's resources. They derive from the environment and colour only,
 * so IAM policies, the rollout workflow and the rehearsal can name them without a lookup.
 */

/** Tag every fleet resource of one colour carries (groups, target groups, instances). */
export const COLOUR_TAG = 'immutable:colour';

/** The Auto Scaling group of one colour, e.g. `immutable-prod-blue`. */
export const fleetGroupName = (env: EnvironmentName, colour: Colour) => `${resourcePrefix(env)}-${colour}`;

/** The launch template both groups share, e.g. `immutable-prod-fleet`. */
export const fleetLaunchTemplateName = (env: EnvironmentName) => `${resourcePrefix(env)}-fleet`;

/** The log group the instances write to, e.g. `/immutable/prod/fleet`. */
export const fleetLogGroupName = (env: EnvironmentName) => `/${APP_PREFIX}/${env}/fleet`;

/** The CloudWatch alarms that judge one colour. */
export interface FleetAlarmNames {
  /** Target 5xx responses / requests above `alarms.max5xxRatio`. */
  readonly errors5xx: string;
  /** p99 target response time above `alarms.p99LatencySeconds`. */
  readonly latency: string;
  /** Unhealthy targets above `alarms.maxUnhealthyHosts`. */
  readonly unhealthyHosts: string;
  /** Composite: any of the three above. */
  readonly fleetUnhealthy: string;
}

export function fleetAlarmNames(env: EnvironmentName, colour: Colour): FleetAlarmNames {
  const base = `${resourcePrefix(env)}-${colour}`;
  return {
    errors5xx: `${base}-5xx`,
    latency: `${base}-latency`,
    unhealthyHosts: `${base}-unhealthy-hosts`,
    fleetUnhealthy: `${base}-unhealthy`,
  };
}
