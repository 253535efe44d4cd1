/**
 * An environment's name, as the configuration gives it (`qa`, `prod-eu`): any number of them, in
 * any accounts and regions. It names the environment's stack and the resources with fixed names
 * (see `name-limits.ts` for how long it may be).
 */
export type EnvironmentName = string;

/**
 * Lowercase letters, digits and hyphens, starting with a letter: what every name built from it
 * accepts (a CloudFormation stack name, an SQS queue, an EventBridge rule or schedule, a launch
 * template, an AMI tag key), and lowercase so two environments never differ by case alone.
 */
export const ENVIRONMENT_NAME = /^[a-z][a-z0-9-]*$/;

/** The rule `ENVIRONMENT_NAME` states, for messages. */
export const ENVIRONMENT_NAME_RULE = 'lowercase letters, digits and hyphens, starting with a letter';

/** What `promotion.from` says of an environment that takes the image factory's images. */
export const FROM_IMAGE_FACTORY = 'image-factory';

/**
 * Words the product already uses where an environment's name goes: a name equal to one of them
 * would be taken for something else.
 */
export const RESERVED_ENVIRONMENT_NAMES: Readonly<Record<string, string>> = {
  [FROM_IMAGE_FACTORY]: 'promotion.from names the image factory so',
  images:
    "the image factory's stack is Immutable-images, its parameters live under /immutable/images/ and its bus " +
    'policy statements are immutable-images-<account>',
  all: 'the operators’ tools take --env all for every environment',
};

/** Whether `value` has the shape of an environment's name (not whether one is configured). */
export const isEnvironmentName = (value: unknown): value is EnvironmentName =>
  typeof value === 'string' && ENVIRONMENT_NAME.test(value);
