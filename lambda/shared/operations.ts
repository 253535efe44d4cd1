import type { EnvironmentName } from './environments';
import { resourcePrefix } from './names';

/**
 * The vocabulary of operating a fleet, shared by the CDK definitions (dashboard, alarms, rules),
 * the functions that publish and act, and the operators' tools (drift, status).
 */

/**
 * Tag a fleet instance carries once someone opened an interactive session on it (or ran a
 * command on it): `<how> by <who> at <when>`. An instance that carries it is no longer what was
 * released, whatever it runs.
 */
export const TAINT_TAG = 'immutable:tainted';

/**
 * The API calls that open an interactive way into an instance, as CloudTrail names them:
 * Session Manager (`ssm:StartSession`), Run Command (`ssm:SendCommand`) and EC2 Instance Connect
 * (`ec2-instance-connect:SendSSHPublicKey`).
 */
export const INTERACTIVE_ACCESS_APIS = ['StartSession', 'SendCommand', 'SendSSHPublicKey'] as const;
export type InteractiveAccessApi = (typeof INTERACTIVE_ACCESS_APIS)[number];

/** The event sources CloudTrail reports those calls under. */
export const INTERACTIVE_ACCESS_SOURCES: Readonly<Record<InteractiveAccessApi, string>> = {
  StartSession: 'ssm.amazonaws.com',
  SendCommand: 'ssm.amazonaws.com',
  SendSSHPublicKey: 'ec2-instance-connect.amazonaws.com',
};

/** What an environment does with an instance someone accessed: replace it, or only say so. */
export const ON_INTERACTIVE_ACCESS = ['replace', 'alert'] as const;
export type OnInteractiveAccess = (typeof ON_INTERACTIVE_ACCESS)[number];

/** Metrics the fleet check publishes (namespace ImmutableFleet, dimension `environment`). */
export const FLEET_METRICS = {
  /** Days since the oldest InService instance of the fleet was launched (the fleet-age SLO). */
  oldestInstanceAgeDays: 'OldestInstanceAgeDays',
  medianInstanceAgeDays: 'MedianInstanceAgeDays',
  /** Days since the released image was released (dimension `image`: the AMI id). */
  releasedImageAgeDays: 'ReleasedImageAgeDays',
  /** InService instances, per image (dimension `image`) and per colour (dimension `colour`). */
  instances: 'FleetInstances',
  /** Findings of the drift check; 0 when the fleet is what was released. */
  driftFindings: 'DriftFindings',
  /** Instances someone accessed that still serve. */
  taintedInstances: 'TaintedInstances',
} as const;

/** Metric published when a rollout takes the lock (dimensions environment, action). */
export const ROLLOUTS_STARTED_METRIC = 'RolloutsStarted';

/** The names of an environment's operations resources. */
export function operationsNames(env: EnvironmentName) {
  const prefix = resourcePrefix(env);
  return {
    dashboard: prefix,
    /** The oldest instance is older than maxInstanceAgeDays plus the grace: rotations stopped. */
    fleetAgeAlarm: `${prefix}-fleet-age`,
    /** The fleet drifted from what was released. */
    driftAlarm: `${prefix}-drift`,
    /** Samples the fleet's age and checks drift. */
    fleetCheckSchedule: `${prefix}-fleet-check`,
  };
}
