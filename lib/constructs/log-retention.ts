import { RetentionDays } from 'aws-cdk-lib/aws-logs';

/**
 * The retention periods CloudWatch Logs accepts, in days (never-expire aside).
 * @see https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html
 */
export const CLOUDWATCH_LOG_RETENTION_DAYS: readonly number[] = Object.values(RetentionDays)
  .filter((v): v is RetentionDays => typeof v === 'number' && v !== RetentionDays.INFINITE)
  .map(Number)
  .sort((a, b) => a - b);

/** The longest retention CloudWatch Logs accepts short of never expiring. */
export const MAX_LOG_RETENTION_DAYS = CLOUDWATCH_LOG_RETENTION_DAYS[
  CLOUDWATCH_LOG_RETENTION_DAYS.length - 1
] as number;

/**
 * CloudWatch Logs only accepts a fixed set of retention periods: use the shortest one that keeps
 * logs at least `days` (so build logs in CloudWatch never expire before those in S3).
 */
export function logRetentionFor(days: number): RetentionDays {
  const found = days >= 1 ? CLOUDWATCH_LOG_RETENTION_DAYS.find((allowed) => allowed >= days) : undefined;
  if (found === undefined) {
    throw new Error(`logRetentionDays must be 1-${MAX_LOG_RETENTION_DAYS}, got ${days}`);
  }
  return found;
}
