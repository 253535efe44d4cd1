/**
 * Errors worth retrying with backoff: Lambda service hiccups, task timeouts, and the
 * throttling codes each AWS API the workflow calls returns (Auto Scaling and ELB:
 * Throttling; EC2: RequestLimitExceeded; SSM, DynamoDB: ThrottlingException;
 * DynamoDB also ProvisionedThroughputExceededException; SNS: ThrottledException; Image Builder:
 * CallRateLimitExceededException — the SDK's names, which for modelled errors are class names). Everything else is
 * a real failure and goes to compensation.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html
 */
export const TRANSIENT_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.ClientExecutionTimeoutException',
  'States.Timeout',
  'Throttling',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'ThrottledException',
  'CallRateLimitExceededException',
  'ServiceUnavailable',
  'InternalFailure',
] as const;
