/**
 * What an operator needs to hear when a command cannot talk to AWS: one line saying what
 * happened and what to do, instead of the SDK's stack trace. Errors are recognised by the
 * names the SDK gives them (the error code AWS sent, or the SDK's own provider errors).
 * @see https://docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/setting-credentials-node.html
 * @see https://docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/setting-region.html
 * @see https://docs.aws.amazon.com/awsconsolehelpdocs/latest/gsg/common-errors.html (AccessDeniedException, ExpiredTokenException, IncompleteSignature, RequestExpired, ThrottlingException, UnrecognizedClientException)
 * @see https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html (ExpiredToken, InvalidClientTokenId, SignatureDoesNotMatch, Throttling, AccessDenied)
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html (AuthFailure, UnauthorizedOperation, RequestLimitExceeded)
 */

interface Kind {
  readonly names: readonly string[];
  readonly say: (code: string, message: string) => string;
}

const KINDS: readonly Kind[] = [
  {
    // The SDK's provider chain found nothing (or an SSO profile with no session).
    names: ['CredentialsProviderError'],
    say: () =>
      'no AWS credentials found (environment, profile, SSO, container or instance role): ' +
      'sign in (aws sso login, or aws configure) or set AWS_PROFILE, then run it again',
  },
  {
    names: ['ExpiredToken', 'ExpiredTokenException', 'TokenRefreshRequired', 'TokenProviderError'],
    say: (code) => `your AWS session has expired (${code}): sign in again (aws sso login) and run it again`,
  },
  {
    names: [
      'InvalidClientTokenId',
      'UnrecognizedClientException',
      'AuthFailure',
      'SignatureDoesNotMatch',
      'InvalidSignatureException',
      'IncompleteSignature',
      'InvalidAccessKeyId',
    ],
    say: (code) =>
      `AWS did not accept the credentials (${code}): check AWS_PROFILE or the access key in use, and that the clock is right`,
  },
  {
    names: ['RequestExpired'],
    say: (code) =>
      `AWS refused the request as stale (${code}): set this machine's clock right and run it again`,
  },
  {
    names: [
      'AccessDenied',
      'AccessDeniedException',
      'UnauthorizedOperation',
      'AuthorizationError',
      'NotAuthorized',
    ],
    // AWS's own message names the principal and the action it refused.
    say: (code, message) =>
      `AWS denied access (${code}${message ? `: ${firstLine(message)}` : ''}): use a role allowed to do this`,
  },
  {
    names: [
      'Throttling',
      'ThrottlingException',
      'RequestLimitExceeded',
      'TooManyRequestsException',
      'ProvisionedThroughputExceededException',
      'ThrottledException',
      'CallRateLimitExceededException',
      'SlowDown',
    ],
    say: (code) => `AWS throttled the requests, retries included (${code}): wait a minute and run it again`,
  },
  {
    // Node's network errors, and the SDK's when a call times out.
    names: ['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'TimeoutError'],
    say: (code) => `could not reach AWS (${code}): check the network, any proxy, and the region`,
  },
];

/** The one line for an AWS error, or undefined for any other error. */
export function describeAwsError(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  // The SDK's region check throws a plain Error with this message.
  if (error.message === 'Region is missing')
    return 'no AWS region: pass --region <region>, or set AWS_REGION or a region in your AWS profile';
  const code = codeOf(error);
  // An SSO profile whose session ran out fails in the provider chain, saying so.
  const expired = code === 'CredentialsProviderError' && /expired/i.test(error.message);
  const kind = KINDS.find((k) => k.names.includes(expired ? 'ExpiredToken' : code));
  return kind?.say(code, error.message);
}

function codeOf(error: Error): string {
  const withCode = error as Error & { code?: unknown; Code?: unknown };
  if (typeof withCode.Code === 'string') return withCode.Code;
  if (typeof withCode.code === 'string' && /^E[A-Z_]+$/.test(withCode.code)) return withCode.code;
  return error.name;
}

const firstLine = (text: string) => text.split('\n')[0]?.trim() ?? '';
