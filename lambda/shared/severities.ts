/**
 * Amazon Inspector severities the scan gate can fail an image on, least severe first. An image
 * fails when it has a finding at or above the configured severity.
 * @see https://docs.aws.amazon.com/inspector/latest/user/findings-understanding-severity.html
 */
export const SEVERITIES = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const isSeverity = (value: unknown): value is Severity =>
  typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value);

/** The severities at or above `failOn`: the findings that fail an image. */
export const severitiesAtOrAbove = (failOn: Severity): readonly Severity[] =>
  SEVERITIES.slice(SEVERITIES.indexOf(failOn));
