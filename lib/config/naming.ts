import type { EnvironmentName } from './schema';

/**
 * Names shared by the CDK definitions, the workflow and the operators' tools. They are
 * derived from the environment name only, so they never change with runtime state.
 */
export const APP_PREFIX = 'immutable';

/** Tags the product puts on AMIs. */
export const AMI_TAGS = {
  environment: 'immutable:environment',
  pipeline: 'immutable:pipeline',
  recipe: 'immutable:recipe',
  recipeVersion: 'immutable:recipe-version',
  sourceRevision: 'immutable:source-revision',
  /** Prefix of `keepTag(env)`: the workflow marks every AMI a rollback may still need; the lifecycle policy never removes one. */
  keep: 'immutable:rollback-candidate',
  /** `immutable:released-<env>` = ISO time of the release; the promotion gate reads it. */
  releasedPrefix: 'immutable:released-',
} as const;

/**
 * SSM parameters that hold runtime state. The workflow writes them; the fleet's template
 * resolves them at deploy time, so a `cdk deploy` re-asserts runtime state instead of
 * resetting it. `seed` creates them once, before an environment's first deploy.
 */
export function runtimeParameters(env: EnvironmentName) {
  const root = `/${APP_PREFIX}/${env}`;
  return {
    /** The AMI id of the current release (its parameter history is the release history). */
    releasedImage: `${root}/released-ami`,
    /** StringList "<blue weight>,<green weight>" of the listener's forward action. */
    listenerWeights: `${root}/fleet/listener-weights`,
    /** Launch-template version number each colour's group runs. */
    launchTemplateVersion: (colour: Colour) => `${root}/fleet/${colour}/launch-template-version`,
    /** Written by the bake pipeline's distribution: the newest baked AMI (not yet released). */
    bakedImage: `${root}/baked-ami`,
  };
}

/**
 * `immutable:rollback-candidate:<env>` = "true" while an environment may roll back to the AMI.
 * One key per environment: an environment letting go of an image (images are shared between
 * environments of an account) never exposes it while another still needs it.
 */
export const keepTag = (env: string) => `${AMI_TAGS.keep}:${env}`;

/** `immutable:released-<env>` = when the AMI was released there; the next environment's promotion gate reads it. */
export const releasedTag = (env: string) => `${AMI_TAGS.releasedPrefix}${env}`;

export const COLOURS = ['blue', 'green'] as const;
export type Colour = (typeof COLOURS)[number];

/** Physical-name prefix for an environment's resources (e.g. `immutable-prod`). */
export const resourcePrefix = (env: EnvironmentName) => `${APP_PREFIX}-${env}`;
