import { SSMServiceException } from '@aws-sdk/client-ssm';
import { describeAwsError } from '../../tools/cli/aws-errors';

/** What the SDK's credential provider chain throws (@smithy/core's CredentialsProviderError). */
const providerError = (message: string) =>
  Object.assign(new Error(message), { name: 'CredentialsProviderError' });

/** An error as the SDK deserializes a service's error response: its code is its name. */
const serviceError = (name: string, message = 'refused') =>
  new SSMServiceException({ name, $fault: 'client', $metadata: {}, message });

describe('AWS errors, as one line saying what happened and what to do', () => {
  it('says there are no credentials, and how to get some', () => {
    const e = providerError('Could not load credentials from any providers');
    expect(describeAwsError(e)).toMatch(
      /^no AWS credentials found .*: sign in \(aws sso login, or aws configure\)/,
    );
  });

  it('says the SSO session expired when the provider chain says so', () => {
    const e = providerError('The SSO session associated with this profile has expired.');
    expect(describeAwsError(e)).toMatch(/^your AWS session has expired .*aws sso login/);
  });

  it('says there is no region, and the three ways to give one', () => {
    expect(describeAwsError(new Error('Region is missing'))).toBe(
      'no AWS region: pass --region <region>, or set AWS_REGION or a region in your AWS profile',
    );
  });

  it.each([
    ['ExpiredToken', /^your AWS session has expired \(ExpiredToken\)/],
    ['ExpiredTokenException', /^your AWS session has expired/],
    ['InvalidClientTokenId', /^AWS did not accept the credentials \(InvalidClientTokenId\)/],
    ['UnrecognizedClientException', /^AWS did not accept the credentials/],
    ['AuthFailure', /^AWS did not accept the credentials/],
    ['RequestExpired', /clock/],
    [
      'ThrottlingException',
      /^AWS throttled the requests, retries included \(ThrottlingException\): wait a minute/,
    ],
    ['RequestLimitExceeded', /^AWS throttled/],
    ['Throttling', /^AWS throttled/],
  ])('says what %s means', (code, expected) => {
    expect(describeAwsError(serviceError(code))).toMatch(expected);
  });

  it("says access was denied with AWS's own words, which name the action", () => {
    const e = serviceError(
      'AccessDeniedException',
      'User: arn:aws:iam::1:user/bob is not authorized to perform: ssm:GetParameter on resource: /x',
    );
    expect(describeAwsError(e)).toBe(
      'AWS denied access (AccessDeniedException: User: arn:aws:iam::1:user/bob is not authorized to perform: ' +
        'ssm:GetParameter on resource: /x): use a role allowed to do this',
    );
  });

  it('reads the wire code of the query protocols (EC2, Auto Scaling) when the SDK keeps it', () => {
    const e = Object.assign(serviceError('EC2ServiceException'), { Code: 'UnauthorizedOperation' });
    expect(describeAwsError(e)).toMatch(/^AWS denied access \(UnauthorizedOperation/);
  });

  it('says AWS could not be reached on a network error', () => {
    const e = Object.assign(new Error('getaddrinfo ENOTFOUND ssm.eu-west-1.amazonaws.com'), {
      code: 'ENOTFOUND',
    });
    expect(describeAwsError(e)).toBe(
      'could not reach AWS (ENOTFOUND): check the network, any proxy, and the region',
    );
  });

  it.each([
    ['an error of the tool itself', new TypeError('x is undefined')],
    ['a service error it has no advice for', serviceError('ParameterNotFound')],
    ['something thrown that is not an error', 'boom'],
  ])('fails to describe %s, leaving it to the caller', (_, error) => {
    expect(describeAwsError(error)).toBeUndefined();
  });
});
