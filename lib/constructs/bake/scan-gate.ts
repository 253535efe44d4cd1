import type { Severity } from '../../../lambda/shared/severities';

/** What Image Builder's ScanResultCondition accepts as the highest severity an image may carry. */
export type AllowedSeverity = 'HIGH' | 'MEDIUM' | 'LOW' | 'INFORMATIONAL';

const HIGHEST_ALLOWED: Record<Severity, AllowedSeverity> = {
  CRITICAL: 'HIGH',
  HIGH: 'MEDIUM',
  MEDIUM: 'LOW',
  LOW: 'INFORMATIONAL',
};

/**
 * The config names the lowest severity that fails an image; Image Builder's scan result condition
 * names the highest severity that is still allowed (a counted CRITICAL finding always fails).
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-imagebuilder-imagepipeline-scanresultcondition.html
 * @see https://docs.aws.amazon.com/imagebuilder/latest/userguide/integ-inspector.html
 */
export function highestAllowedSeverity(failOn: Severity): AllowedSeverity {
  return HIGHEST_ALLOWED[failOn];
}
