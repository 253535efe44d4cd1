/**
 * Errors worth retrying with backoff: Lambda service hiccups, task timeouts, and the
 * throttling codes each AWS API the workflow calls returns (Auto Scaling and ELB:
 * Throttling; EC2: RequestLimitExceeded; SSM, DynamoDB, Image Builder: ThrottlingException;
 * DynamoDB also ProvisionedThroughputExceededException; SNS: Throttled). Everything else is
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
  'Throttled',
  'ServiceUnavailable',
  'InternalFailure',
] as const;
