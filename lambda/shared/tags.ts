/** Tags the product puts on AMIs and fleet resources. */
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

/** Tag every resource of an environment's stack carries (its instances too: the groups propagate it). */
export const ENVIRONMENT_TAG = 'immutable:environment';

/** Tag every fleet resource of one colour carries (groups, target groups, instances). */
export const COLOUR_TAG = 'immutable:colour';

/**
 * `immutable:rollback-candidate:<env>` = "true" while an environment may roll back to the AMI.
 * One key per environment: an environment letting go of an image (images are shared between
 * environments of an account) never exposes it while another still needs it.
 */
export const keepTag = (env: string) => `${AMI_TAGS.keep}:${env}`;

/** `immutable:released-<env>` = when the AMI was released there; the next environment's promotion gate reads it. */
export const releasedTag = (env: string) => `${AMI_TAGS.releasedPrefix}${env}`;
