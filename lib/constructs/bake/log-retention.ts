import { RetentionDays } from 'aws-cdk-lib/aws-logs';

const ALLOWED: readonly number[] = Object.values(RetentionDays)
  .filter((v): v is RetentionDays => typeof v === 'number' && v !== RetentionDays.INFINITE)
  .map(Number)
  .sort((a, b) => a - b);

/**
 * CloudWatch Logs only accepts a fixed set of retention periods: use the shortest one that keeps
 * logs at least `days` (so build logs in CloudWatch never expire before those in S3).
 * @see https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html
 */
export function logRetentionFor(days: number): RetentionDays {
  const found = days >= 1 ? ALLOWED.find((allowed) => allowed >= days) : undefined;
  if (found === undefined) {
    throw new Error(`logRetentionDays must be 1-${ALLOWED[ALLOWED.length - 1]}, got ${days}`);
  }
  return found;
}
