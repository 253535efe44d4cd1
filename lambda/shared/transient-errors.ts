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

/**
 * How a function that ran out of time reaches Step Functions: `Lambda.Unknown` per the Step
 * Functions guide (with out-of-memory and other unhandled runtime errors), and as
 * `Sandbox.Timedout`, the error type the Lambda runtime reports. Neither is a transient service
 * error: the function ran and may have acted, so only a step that is safe to run twice retries
 * it (every rollout step is: see RolloutSteps). `States.TaskFailed` would match them too, but
 * also every named error; `States.Timeout` is the task's own timeout, a different thing.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/troubleshooting-invocation.html
 */
export const FUNCTION_TIMEOUT_ERRORS = ['Lambda.Unknown', 'Sandbox.Timedout'] as const;
