import type { Colour } from './colours';
import type { EnvironmentName } from './environments';

/**
 * Physical names shared by the CDK definitions, the workflow, the rehearsal and the operators'
 * tools. They derive from the environment (and colour) only, so IAM policies and tools can name
 * a resource without a lookup, and they never change with runtime state.
 */
export const APP_PREFIX = 'immutable';

/** An environment's CloudFormation stack, e.g. `Immutable-prod`. */
export const environmentStackName = (env: EnvironmentName) => `Immutable-${env}`;

/** Physical-name prefix for an environment's resources (e.g. `immutable-prod`). */
export const resourcePrefix = (env: EnvironmentName) => `${APP_PREFIX}-${env}`;

/**
 * SSM parameters that hold runtime state. The workflow writes them; the fleet's template
 * resolves them at deploy time, so a `cdk deploy` re-asserts runtime state instead of
 * resetting it. `seed` creates them once, before an environment's first deploy.
 */
export function runtimeParameters(env: EnvironmentName) {
  const root = `/${APP_PREFIX}/${env}`;
  return {
    /** Every parameter of the environment lives under this path. */
    root,
    /** The AMI id of the current release (its parameter history is the release history). */
    releasedImage: `${root}/released-ami`,
    /** StringList "<blue weight>,<green weight>" of the listener's forward action. */
    listenerWeights: `${root}/fleet/listener-weights`,
    /** Launch-template version number each colour's group runs. */
    launchTemplateVersion: (colour: Colour) => `${root}/fleet/${colour}/launch-template-version`,
  };
}

/** The image factory's resources, named after the application it bakes (e.g. `immutable-web`). */
export function imageFactoryNames(appName: string) {
  const prefix = `${APP_PREFIX}-${appName}`;
  return {
    /** The Image Builder pipeline; image ARNs are named after its recipe, `<pipeline>_<fingerprint>`. */
    pipeline: prefix,
    /** Written by the distribution in the factory's region: the newest baked AMI (not yet released anywhere). */
    bakedImageParameter: `/${APP_PREFIX}/images/${appName}/baked-ami`,
    /** Build failures and refused images. */
    topic: `${prefix}-images`,
    /** Announcements and lineage events that could not be delivered or handled. */
    deadLetters: `${prefix}-image-event-dead-letters`,
  };
}

/**
 * The statement of a stack's default-bus policy that admits `account`'s forwards, e.g.
 * `immutable-prod-111111111111`. Named after the receiving stack (an environment's name, or
 * `images` for the image factory): several stacks may share an account's bus, and each owns its
 * statements.
 */
export const busPolicyStatementId = (receiver: string, account: string) =>
  `${APP_PREFIX}-${receiver}-${account}`;

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

/**
 * The rollout workflow's own resources with fixed names. The ledger table has none (a re-created
 * stack gets a table of its own): the stack output LedgerTableName names it.
 */
export function rolloutNames(env: EnvironmentName) {
  const prefix = resourcePrefix(env);
  return {
    /** Rollout notifications. */
    topic: `${prefix}-rollouts`,
    stateMachine: `${prefix}-rollout`,
    phoenixSchedule: `${prefix}-phoenix`,
    /** Triggers that could not be delivered or handled; an alarm of the same name watches it. */
    deadLetters: `${prefix}-rollout-trigger-dead-letters`,
    /** Soak, approval and start of a canary of what the upstream environment released. */
    promotionStateMachine: `${prefix}-promotion`,
  };
}
