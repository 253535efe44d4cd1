/**
 * Every Lambda function the product deploys, by the name of its file in lambda/handlers/. One
 * bundling run builds them all (see handler-code.ts).
 */

/** The rollout workflow's functions, in every environment. */
export const ROLLOUT_HANDLERS = [
  'validate-input',
  'ledger',
  'plan-rollout',
  'restore-safe-state',
  'start-refresh',
  'check-refresh',
  'prepare-canary',
  'check-canary',
  'shift-traffic',
  'judge-canary',
  'announce-release',
  'retire-colour',
  'replace-instances',
  'on-image-available',
  'release-abandoned-lock',
] as const;

/**
 * The rollout steps the state machine invokes: each acts on the settings its deployment wrote
 * (lambda/shared/step-settings.ts), not on what its event says.
 */
export { STEP_HANDLERS } from '../../../lambda/shared/step-settings';

/** What an environment's operators rely on: the fleet check and the answer to interactive access. */
export const OPERATIONS_HANDLERS = ['check-fleet', 'on-interactive-access'] as const;

/** An environment's promotion from the one upstream: only where it takes another environment's releases. */
export const PROMOTION_HANDLERS = ['on-upstream-release', 'promotion'] as const;

/** The image factory's functions. */
export const FACTORY_HANDLERS = ['announce-image', 'tag-lineage'] as const;

export const DEPLOYED_HANDLERS = [
  ...ROLLOUT_HANDLERS,
  ...PROMOTION_HANDLERS,
  ...OPERATIONS_HANDLERS,
  ...FACTORY_HANDLERS,
] as const;

export type RolloutHandler = (typeof ROLLOUT_HANDLERS)[number] | (typeof PROMOTION_HANDLERS)[number];
export type OperationsHandler = (typeof OPERATIONS_HANDLERS)[number];
export type FactoryHandler = (typeof FACTORY_HANDLERS)[number];
export type DeployedHandler = (typeof DEPLOYED_HANDLERS)[number];

/** CloudFormation metadata key naming the handler file behind a function (the rehearsal maps tasks with it). */
export const HANDLER_METADATA = 'immutable:handler';
