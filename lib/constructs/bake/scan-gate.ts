/** Amazon Inspector severities the product can gate on, most severe first. */
export const SCAN_SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const;
export type ScanSeverity = (typeof SCAN_SEVERITIES)[number];

/** What Image Builder's ScanResultCondition accepts as the highest severity an image may carry. */
export type AllowedSeverity = 'HIGH' | 'MEDIUM' | 'LOW' | 'INFORMATIONAL';

const HIGHEST_ALLOWED: Record<ScanSeverity, AllowedSeverity> = {
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
export function highestAllowedSeverity(failOn: ScanSeverity): AllowedSeverity {
  return HIGHEST_ALLOWED[failOn];
}
