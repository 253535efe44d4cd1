import type { CfnLifecyclePolicy } from 'aws-cdk-lib/aws-imagebuilder';

/** Image Builder's rule for how long an image lives, as the API wants it. */
export interface AgeFilter {
  readonly unit: 'DAYS' | 'WEEKS' | 'MONTHS' | 'YEARS';
  readonly value: number;
}

/**
 * A lifecycle filter's value is 1-1000 in its unit, so ages past 1000 days are expressed in weeks
 * (rounded up: an image is kept a little longer, never deleted early).
 * @see https://docs.aws.amazon.com/imagebuilder/latest/APIReference/API_LifecyclePolicyDetailFilter.html
 */
export function ageFilter(days: number): AgeFilter {
  if (!Number.isInteger(days) || days < 1)
    throw new Error(`an image age must be a whole number of days >= 1, got ${days}`);
  if (days <= 1000) return { unit: 'DAYS', value: days };
  return { unit: 'WEEKS', value: Math.ceil(days / 7) };
}

export interface LifecycleRulesInput {
  readonly deprecateAfterDays: number;
  readonly deleteAfterDays: number;
  readonly keepAtLeast: number;
  /** AMIs carrying any of these tags are left alone by both rules. */
  readonly protectedAmiTags: Readonly<Record<string, string>>;
}

/**
 * Deprecate, then delete (AMI and snapshots), always leaving `keepAtLeast` images; AMIs a rollback
 * may still need are tagged by the rollout workflow and excluded from both rules.
 * RetainAtLeast only applies to the delete rule: deprecation keeps an AMI launchable by id.
 * @see https://docs.aws.amazon.com/imagebuilder/latest/userguide/image-lifecycle-rules.html
 */
export function lifecycleRules(input: LifecycleRulesInput): CfnLifecyclePolicy.PolicyDetailProperty[] {
  const exclusionRules: CfnLifecyclePolicy.ExclusionRulesProperty = {
    amis: { tagMap: input.protectedAmiTags },
  };
  return [
    {
      action: { type: 'DEPRECATE', includeResources: { amis: true } },
      filter: { type: 'AGE', ...ageFilter(input.deprecateAfterDays) },
      exclusionRules,
    },
    {
      action: { type: 'DELETE', includeResources: { amis: true, snapshots: true } },
      filter: { type: 'AGE', ...ageFilter(input.deleteAfterDays), retainAtLeast: input.keepAtLeast },
      exclusionRules,
    },
  ];
}
