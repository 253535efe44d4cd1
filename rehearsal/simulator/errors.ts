import * as autoScaling from '@aws-sdk/client-auto-scaling';
import * as cloudWatch from '@aws-sdk/client-cloudwatch';
import * as dynamodb from '@aws-sdk/client-dynamodb';
import * as ec2 from '@aws-sdk/client-ec2';
import * as eventBridge from '@aws-sdk/client-eventbridge';
import * as elbv2 from '@aws-sdk/client-elastic-load-balancing-v2';
import * as imageBuilder from '@aws-sdk/client-imagebuilder';
import * as stepFunctions from '@aws-sdk/client-sfn';
import * as sns from '@aws-sdk/client-sns';
import * as ssm from '@aws-sdk/client-ssm';

/** The AWS services the simulator answers for. */
export type SimService =
  | 'autoScaling'
  | 'ec2'
  | 'elbv2'
  | 'cloudWatch'
  | 'ssm'
  | 'dynamodb'
  | 'sns'
  | 'imageBuilder'
  | 'events'
  | 'sfn';

// The SDK base class of each service's errors, so `instanceof XServiceException` holds as it does in AWS.
type ExceptionCtor = new (opts: never) => Error;
type BaseCtor = new (opts: {
  name: string;
  $fault: 'client' | 'server';
  $metadata: object;
  message?: string;
}) => Error;

const BASE: Record<SimService, BaseCtor> = {
  autoScaling: autoScaling.AutoScalingServiceException,
  ec2: ec2.EC2ServiceException,
  elbv2: elbv2.ElasticLoadBalancingV2ServiceException,
  cloudWatch: cloudWatch.CloudWatchServiceException,
  ssm: ssm.SSMServiceException,
  dynamodb: dynamodb.DynamoDBServiceException,
  sns: sns.SNSServiceException,
  imageBuilder: imageBuilder.ImagebuilderServiceException,
  events: eventBridge.EventBridgeServiceException,
  sfn: stepFunctions.SFNServiceException,
};

/**
 * Error codes AWS sends on the wire that the SDK turns into a modelled exception class. For the
 * query protocols (Auto Scaling, ELBv2, SNS, CloudWatch) the class name differs from the code
 * (`InstanceRefreshInProgress` arrives as `InstanceRefreshInProgressFault`), and the SDK keeps the
 * wire code in `Code`. Codes not listed here surface with `name` = the code, on the service's
 * base exception class. test/rehearsal/simulator/errors.test.ts checks every entry against the
 * real SDK deserializer.
 */
const MODELLED: Record<SimService, Record<string, ExceptionCtor>> = {
  autoScaling: {
    InstanceRefreshInProgress: autoScaling.InstanceRefreshInProgressFault,
    ActiveInstanceRefreshNotFound: autoScaling.ActiveInstanceRefreshNotFoundFault,
    LimitExceeded: autoScaling.LimitExceededFault,
    ResourceContention: autoScaling.ResourceContentionFault,
  },
  ec2: {},
  elbv2: {
    ListenerNotFound: elbv2.ListenerNotFoundException,
    TargetGroupNotFound: elbv2.TargetGroupNotFoundException,
    InvalidConfigurationRequest: elbv2.InvalidConfigurationRequestException,
    InvalidTarget: elbv2.InvalidTargetException,
    TooManyTargetGroups: elbv2.TooManyTargetGroupsException,
  },
  cloudWatch: {
    InvalidParameterValue: cloudWatch.InvalidParameterValueException,
    InvalidParameterCombination: cloudWatch.InvalidParameterCombinationException,
    MissingParameter: cloudWatch.MissingRequiredParameterException,
  },
  ssm: {
    ParameterNotFound: ssm.ParameterNotFound,
    ParameterAlreadyExists: ssm.ParameterAlreadyExists,
    ParameterVersionNotFound: ssm.ParameterVersionNotFound,
    ThrottlingException: ssm.ThrottlingException,
    ValidationException: ssm.ValidationException,
    InvalidNextToken: ssm.InvalidNextToken,
  },
  dynamodb: {
    ConditionalCheckFailedException: dynamodb.ConditionalCheckFailedException,
    ResourceNotFoundException: dynamodb.ResourceNotFoundException,
    ProvisionedThroughputExceededException: dynamodb.ProvisionedThroughputExceededException,
    ThrottlingException: dynamodb.ThrottlingException,
  },
  sns: {
    Throttled: sns.ThrottledException,
    InvalidParameter: sns.InvalidParameterException,
    NotFound: sns.NotFoundException,
  },
  imageBuilder: {
    CallRateLimitExceededException: imageBuilder.CallRateLimitExceededException,
    ResourceNotFoundException: imageBuilder.ResourceNotFoundException,
    InvalidRequestException: imageBuilder.InvalidRequestException,
    InvalidParameterValueException: imageBuilder.InvalidParameterValueException,
    ClientException: imageBuilder.ClientException,
  },
  // PutEvents reports a refused entry in its response; the call itself fails only as a whole.
  events: {},
  sfn: {
    ExecutionAlreadyExists: stepFunctions.ExecutionAlreadyExists,
    ExecutionDoesNotExist: stepFunctions.ExecutionDoesNotExist,
    StateMachineDoesNotExist: stepFunctions.StateMachineDoesNotExist,
    InvalidName: stepFunctions.InvalidName,
    InvalidArn: stepFunctions.InvalidArn,
    InvalidExecutionInput: stepFunctions.InvalidExecutionInput,
    InvalidToken: stepFunctions.InvalidToken,
    InvalidOutput: stepFunctions.InvalidOutput,
    TaskDoesNotExist: stepFunctions.TaskDoesNotExist,
    TaskTimedOut: stepFunctions.TaskTimedOut,
  },
};

// Services whose protocol carries the wire code beside the exception (the SDK sets `Code`).
const QUERY_PROTOCOL: ReadonlySet<SimService> = new Set(['autoScaling', 'ec2', 'elbv2', 'sns', 'cloudWatch']);

/**
 * Builds the error the AWS SDK v3 would throw for the wire error `code`: the modelled exception
 * class when the service models it, otherwise the service's base exception named `code`; always
 * `$fault: 'client'` and `$metadata: {}`.
 */
export function awsError(
  service: SimService,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
): Error {
  const Modelled = MODELLED[service][code];
  const error = Modelled
    ? new Modelled({ message, $metadata: {}, ...extra } as never)
    : Object.assign(new BASE[service]({ name: code, $fault: 'client', $metadata: {}, message }), extra);
  Object.assign(error, { $fault: 'client', $metadata: {} });
  if (QUERY_PROTOCOL.has(service)) Object.assign(error, { Code: code, Type: 'Sender' });
  return error;
}

/**
 * Throttling errors per service, as the SDK names them (`error.name`, which becomes the Lambda
 * error type the state machine's Retry matches). The first name of each list is what
 * `throttleNext` throws; the others are what the same service may also return.
 * @see https://docs.aws.amazon.com/autoscaling/ec2/APIReference/CommonErrors.html (Throttling)
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html (RequestLimitExceeded)
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/CommonErrors.html (Throttling)
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CommonErrors.html (Throttling)
 * @see https://docs.aws.amazon.com/systems-manager/latest/APIReference/CommonErrors.html (ThrottlingException)
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/CommonErrors.html (ThrottlingException)
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html (ProvisionedThroughputExceededException)
 * @see https://docs.aws.amazon.com/sns/latest/api/API_Publish.html (Throttled, modelled as ThrottledException)
 * @see https://repost.aws/knowledge-center/sns-throttling-exception-errors (SNS also answers ThrottlingException)
 * @see https://docs.aws.amazon.com/imagebuilder/latest/APIReference/API_GetImage.html (CallRateLimitExceededException)
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/CommonErrors.html (ThrottlingException)
 */
export const THROTTLING_ERROR_NAMES = {
  autoScaling: ['Throttling'],
  ec2: ['RequestLimitExceeded'],
  elbv2: ['Throttling'],
  cloudWatch: ['Throttling'],
  ssm: ['ThrottlingException'],
  dynamodb: ['ThrottlingException', 'ProvisionedThroughputExceededException'],
  sns: ['ThrottledException', 'ThrottlingException'],
  imageBuilder: ['CallRateLimitExceededException', 'ThrottlingException'],
  events: ['ThrottlingException'],
  sfn: ['ThrottlingException'],
} as const satisfies Record<SimService, readonly string[]>;

/** Every throttling error name above, once. */
export const ALL_THROTTLING_ERROR_NAMES: readonly string[] = [
  ...new Set(Object.values(THROTTLING_ERROR_NAMES).flat()),
];

// The wire code behind each service's first throttling name.
const THROTTLING_CODE: Record<SimService, string> = {
  autoScaling: 'Throttling',
  ec2: 'RequestLimitExceeded',
  elbv2: 'Throttling',
  cloudWatch: 'Throttling',
  ssm: 'ThrottlingException',
  dynamodb: 'ThrottlingException',
  sns: 'Throttled',
  imageBuilder: 'CallRateLimitExceededException',
  events: 'ThrottlingException',
  sfn: 'ThrottlingException',
};

export function throttlingError(service: SimService): Error {
  return awsError(service, THROTTLING_CODE[service], 'Rate exceeded');
}

/**
 * Thrown for a call the simulator does not model (a command, a parameter or an expression): a
 * rehearsal must stop loudly rather than pretend AWS would have answered.
 */
export class SimulatorUnsupportedError extends Error {
  override readonly name = 'SimulatorUnsupportedError';
}
