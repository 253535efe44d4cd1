import { MAX_LOG_RETENTION_DAYS } from '../log-retention';
import { matches, wholeNumber } from '../rules';
import type { Rule } from '../rules';

/** Image Builder semantic versions: three numeric nodes, each at most 2^30-1. */
const MAX_VERSION_NODE = 1073741823;

/**
 * The recipe's semantic version.
 * @see https://docs.aws.amazon.com/imagebuilder/latest/userguide/ibhow-semantic-versioning.html
 */
export const RECIPE_VERSION: Rule<string> = {
  test: (v) => {
    const nodes = v.split('.');
    return nodes.length === 3 && nodes.every((n) => /^\d+$/.test(n) && Number(n) <= MAX_VERSION_NODE);
  },
  message: `must be a semantic version major.minor.patch (e.g. 1.4.0) with each node 0-${MAX_VERSION_NODE}`,
};

/** Where the install script fetches the application: the build instance reads S3 or HTTPS only. */
export const ARTIFACT_URI = matches(/^(s3|https):\/\/\S+$/, 'must be an s3:// or https:// URI');

/** Image Builder needs an instance type to build and test on. */
export const INSTANCE_TYPES: Rule<readonly string[]> = {
  test: (v) => v.length > 0,
  message: 'must list at least one instance type',
};

/** Days after which AMIs are deprecated, or deleted. */
export const IMAGE_AGE_DAYS = wholeNumber(1, 3650);

/**
 * AMIs the delete rule always leaves in place.
 * @see https://docs.aws.amazon.com/imagebuilder/latest/APIReference/API_LifecyclePolicyDetailFilter.html
 */
export const KEEP_AT_LEAST = wholeNumber(1, 10, 'Image Builder RetainAtLeast');

/**
 * Environments whose rollback candidates the lifecycle policy keeps: one tag each in its
 * exclusion rules' tag map, which takes at most 50.
 * @see https://docs.aws.amazon.com/imagebuilder/latest/APIReference/API_LifecyclePolicyDetailExclusionRulesAmis.html
 */
export const MAX_PROTECTED_ENVIRONMENTS = 50;

/** Whose rollback candidates the lifecycle policy keeps: someone's, and no more than it takes. */
export const PROTECTED_ENVIRONMENTS: Rule<readonly string[]> = {
  test: (v) => v.length >= 1 && v.length <= MAX_PROTECTED_ENVIRONMENTS,
  message: `must name 1-${MAX_PROTECTED_ENVIRONMENTS} environments (the lifecycle policy keeps each one's rollback candidates by a tag, and takes at most ${MAX_PROTECTED_ENVIRONMENTS} tags)`,
};

/** Deletion after deprecation: a deleted AMI can no longer be deprecated. */
export const deleteAfterDeprecation = (lifecycle: {
  readonly deprecateAfterDays: number;
  readonly deleteAfterDays: number;
}): Rule<number> => ({
  test: (deleteAfterDays) => deleteAfterDays > lifecycle.deprecateAfterDays,
  message: `must be greater than lifecycle.deprecateAfterDays (${lifecycle.deprecateAfterDays})`,
});

/** Days build logs are kept; CloudWatch rounds up to the next period it accepts. */
export const BUILD_LOG_RETENTION_DAYS = wholeNumber(1, MAX_LOG_RETENTION_DAYS);
