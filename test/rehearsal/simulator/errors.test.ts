import { Readable } from 'node:stream';
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
import {
  ALL_THROTTLING_ERROR_NAMES,
  awsError,
  THROTTLING_ERROR_NAMES,
  type SimService,
} from '../../../rehearsal/simulator';
import { clients, rejection, simulate } from './harness';
import { BLUE_TG, LISTENER, TABLE } from './fixtures';

/**
 * Sends one command through a real SDK client whose HTTP handler answers with the wire error
 * AWS would send, and returns what the SDK throws: the ground truth the simulator must match.
 */
async function realSdkError(service: SimService, code: string): Promise<Error & Record<string, unknown>> {
  const query = (c: string) =>
    `<ErrorResponse><Error><Type>Sender</Type><Code>${c}</Code><Message>m</Message></Error><RequestId>r</RequestId></ErrorResponse>`;
  const answers: Record<SimService, { headers: Record<string, string>; body: string }> = {
    autoScaling: { headers: { 'content-type': 'text/xml' }, body: query(code) },
    elbv2: { headers: { 'content-type': 'text/xml' }, body: query(code) },
    sns: { headers: { 'content-type': 'text/xml' }, body: query(code) },
    ec2: {
      headers: { 'content-type': 'text/xml' },
      body: `<Response><Errors><Error><Code>${code}</Code><Message>m</Message></Error></Errors><RequestID>r</RequestID></Response>`,
    },
    cloudWatch: {
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-query-error': `${code};Sender` },
      body: JSON.stringify({ __type: `com.amazonaws.cloudwatch#${code}`, message: 'm' }),
    },
    ssm: {
      headers: { 'content-type': 'application/x-amz-json-1.1' },
      body: JSON.stringify({ __type: `com.amazonaws.ssm#${code}`, message: 'm' }),
    },
    dynamodb: {
      headers: { 'content-type': 'application/x-amz-json-1.0' },
      body: JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${code}`, message: 'm' }),
    },
    imageBuilder: {
      headers: { 'content-type': 'application/json', 'x-amzn-errortype': code },
      body: JSON.stringify({ message: 'm' }),
    },
    events: {
      headers: { 'content-type': 'application/x-amz-json-1.1' },
      body: JSON.stringify({ __type: code, message: 'm' }),
    },
    sfn: {
      headers: { 'content-type': 'application/x-amz-json-1.0' },
      body: JSON.stringify({ __type: `com.amazonaws.sfn#${code}`, message: 'm' }),
    },
  };
  const answer = answers[service];
  const config = {
    region: 'eu-west-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    maxAttempts: 1,
    requestHandler: {
      handle: () =>
        Promise.resolve({
          response: {
            statusCode: 400,
            headers: answer.headers,
            body: Readable.from([Buffer.from(answer.body)]),
          },
        }),
    },
  };
  const calls: Record<SimService, () => Promise<unknown>> = {
    autoScaling: () =>
      new autoScaling.AutoScalingClient(config).send(new autoScaling.DescribeAutoScalingGroupsCommand({})),
    elbv2: () => new elbv2.ElasticLoadBalancingV2Client(config).send(new elbv2.DescribeListenersCommand({})),
    sns: () =>
      new sns.SNSClient(config).send(
        new sns.PublishCommand({ Message: 'x', TopicArn: 'arn:aws:sns:eu-west-1:123456789012:t' }),
      ),
    ec2: () => new ec2.EC2Client(config).send(new ec2.DescribeImagesCommand({})),
    cloudWatch: () => new cloudWatch.CloudWatchClient(config).send(new cloudWatch.DescribeAlarmsCommand({})),
    ssm: () => new ssm.SSMClient(config).send(new ssm.GetParameterCommand({ Name: 'x' })),
    dynamodb: () =>
      new dynamodb.DynamoDBClient(config).send(new dynamodb.GetItemCommand({ TableName: 't', Key: {} })),
    events: () =>
      new eventBridge.EventBridgeClient(config).send(
        new eventBridge.PutEventsCommand({ Entries: [{ Source: 's', DetailType: 'd', Detail: '{}' }] }),
      ),
    sfn: () =>
      new stepFunctions.SFNClient(config).send(
        new stepFunctions.DescribeExecutionCommand({
          executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:m:e',
        }),
      ),
    imageBuilder: () =>
      new imageBuilder.ImagebuilderClient(config).send(
        new imageBuilder.GetImageCommand({
          imageBuildVersionArn: 'arn:aws:imagebuilder:eu-west-1:123456789012:image/x/1.0.0/1',
        }),
      ),
  };
  return rejection(calls[service]());
}

// Every code the simulator throws, per service.
const CODES: Array<[SimService, string]> = [
  ['autoScaling', 'ValidationError'],
  ['autoScaling', 'Throttling'],
  ['autoScaling', 'InstanceRefreshInProgress'],
  ['autoScaling', 'ActiveInstanceRefreshNotFound'],
  ['ec2', 'RequestLimitExceeded'],
  ['ec2', 'InvalidAMIID.NotFound'],
  ['ec2', 'InvalidAMIID.Malformed'],
  ['ec2', 'InvalidLaunchTemplateId.NotFound'],
  ['ec2', 'InvalidLaunchTemplateId.VersionNotFound'],
  ['ec2', 'InvalidInstanceID.NotFound'],
  ['elbv2', 'ValidationError'],
  ['elbv2', 'Throttling'],
  ['elbv2', 'ListenerNotFound'],
  ['elbv2', 'TargetGroupNotFound'],
  ['elbv2', 'InvalidTarget'],
  ['elbv2', 'TooManyTargetGroups'],
  ['cloudWatch', 'Throttling'],
  ['cloudWatch', 'InvalidParameterValue'],
  ['cloudWatch', 'InvalidParameterCombination'],
  ['cloudWatch', 'MissingParameter'],
  ['ssm', 'ThrottlingException'],
  ['ssm', 'ParameterNotFound'],
  ['ssm', 'ParameterAlreadyExists'],
  ['ssm', 'ParameterVersionNotFound'],
  ['ssm', 'ValidationException'],
  ['dynamodb', 'ThrottlingException'],
  ['dynamodb', 'ConditionalCheckFailedException'],
  ['dynamodb', 'ResourceNotFoundException'],
  ['dynamodb', 'ValidationException'],
  ['sns', 'Throttled'],
  ['sns', 'InvalidParameter'],
  ['imageBuilder', 'CallRateLimitExceededException'],
  ['imageBuilder', 'ResourceNotFoundException'],
  ['imageBuilder', 'InvalidParameterValueException'],
  ['sfn', 'ThrottlingException'],
  ['sfn', 'ExecutionAlreadyExists'],
  ['sfn', 'ExecutionDoesNotExist'],
  ['sfn', 'StateMachineDoesNotExist'],
  ['sfn', 'InvalidName'],
  ['sfn', 'InvalidExecutionInput'],
  ['sfn', 'InvalidToken'],
  ['sfn', 'TaskDoesNotExist'],
  ['sfn', 'TaskTimedOut'],
];

describe('errors match what the AWS SDK raises for the same wire error', () => {
  it.each(CODES)('%s %s', async (service, code) => {
    const real = await realSdkError(service, code);
    const simulated = awsError(service, code, 'm');
    expect(simulated.name).toBe(real.name);
    expect(simulated.constructor).toBe(real.constructor);
    expect(simulated).toMatchObject({ $fault: 'client', $metadata: {} });
    if (real.Code !== undefined)
      expect((simulated as unknown as Record<string, unknown>).Code).toBe(real.Code);
  });

  it('names a modelled query-protocol fault by its class, not its wire code', () => {
    const error = awsError('autoScaling', 'InstanceRefreshInProgress', 'busy');
    expect(error).toBeInstanceOf(autoScaling.InstanceRefreshInProgressFault);
    expect(error).toMatchObject({
      name: 'InstanceRefreshInProgressFault',
      Code: 'InstanceRefreshInProgress',
    });
  });
});

describe('throttling', () => {
  afterEach(() => uninstall?.());
  let uninstall: (() => void) | undefined;

  it('lists, per service, the name the simulator throws first', async () => {
    for (const [service, names] of Object.entries(THROTTLING_ERROR_NAMES)) {
      const real = await realSdkError(service as SimService, service === 'sns' ? 'Throttled' : names[0]);
      expect(real.name).toBe(names[0]);
    }
    expect(ALL_THROTTLING_ERROR_NAMES).toEqual(
      expect.arrayContaining([
        'Throttling',
        'RequestLimitExceeded',
        'ThrottlingException',
        'ThrottledException',
      ]),
    );
  });

  it('fails the next N calls of any service with that service throttling error, then recovers', async () => {
    const { sim, uninstall: off } = simulate();
    uninstall = off;
    sim.throttleNext(10);
    const results = await Promise.all([
      rejection(clients.autoScaling.send(new autoScaling.DescribeAutoScalingGroupsCommand({}))),
      rejection(clients.ec2.send(new ec2.DescribeImagesCommand({}))),
      rejection(clients.elbv2.send(new elbv2.DescribeListenersCommand({ ListenerArns: [LISTENER] }))),
      rejection(clients.cloudWatch.send(new cloudWatch.DescribeAlarmsCommand({}))),
      rejection(clients.ssm.send(new ssm.GetParameterCommand({ Name: '/immutable/dev/released-ami' }))),
      rejection(
        clients.dynamodb.send(
          new dynamodb.GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'a' }, sk: { S: 'b' } } }),
        ),
      ),
      rejection(
        clients.sns.send(
          new sns.PublishCommand({ TopicArn: 'arn:aws:sns:eu-west-1:123456789012:t', Message: 'x' }),
        ),
      ),
      rejection(
        clients.imageBuilder.send(
          new imageBuilder.GetImageCommand({
            imageBuildVersionArn: 'arn:aws:imagebuilder:eu-west-1:123456789012:image/x/1.0.0/1',
          }),
        ),
      ),
      rejection(
        clients.events.send(
          new eventBridge.PutEventsCommand({ Entries: [{ Source: 's', DetailType: 'd', Detail: '{}' }] }),
        ),
      ),
      rejection(
        clients.sfn.send(
          new stepFunctions.DescribeExecutionCommand({
            executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:m:e',
          }),
        ),
      ),
    ]);
    expect(results.map((e) => e.name)).toEqual(
      Object.values(THROTTLING_ERROR_NAMES).map((names) => names[0]),
    );
    const after = await clients.elbv2.send(
      new elbv2.DescribeTargetHealthCommand({ TargetGroupArn: BLUE_TG }),
    );
    expect(after.TargetHealthDescriptions).toHaveLength(4);
    expect(sim.apiCalls).toMatchObject({ DescribeAutoScalingGroups: 1, DescribeTargetHealth: 1 });
  });
});

describe('unsimulated commands', () => {
  it('fail loudly, naming the command', async () => {
    const { sim, uninstall } = simulate();
    try {
      const error = await rejection(
        clients.ec2.send(new ec2.RunInstancesCommand({ MinCount: 1, MaxCount: 1 })),
      );
      expect(error.name).toBe('SimulatorUnsupportedError');
      expect(error.message).toContain('RunInstancesCommand');
      const other = await rejection(clients.dynamodb.send(new dynamodb.ScanCommand({ TableName: TABLE })));
      expect(other.message).toContain('ScanCommand');
      expect(sim.apiCalls).toMatchObject({ RunInstances: 1, Scan: 1 });
    } finally {
      uninstall();
    }
  });

  it('keeps no process-wide state: two simulators in one process each answer their own clients', async () => {
    const first = simulate().sim;
    const second = simulate().sim;
    const name = '/immutable/dev/released-ami';
    await first.clients().ssm.send(new ssm.GetParameterCommand({ Name: name }));
    await second.clients().ssm.send(new ssm.GetParameterCommand({ Name: name }));
    await second.clients().ssm.send(new ssm.GetParameterCommand({ Name: name }));
    expect([first.apiCalls.GetParameter, second.apiCalls.GetParameter]).toEqual([1, 2]);
  });

  it("leaves the AWS SDK's own clients alone: a real client still reaches its transport", async () => {
    const { uninstall } = simulate();
    try {
      const offline = new ssm.SSMClient({
        region: 'eu-west-1',
        credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
        maxAttempts: 1,
        requestHandler: { handle: () => Promise.reject(new Error('real transport reached')) },
      });
      const error = await rejection(offline.send(new ssm.GetParameterCommand({ Name: 'x' })));
      expect(error.message).toBe('real transport reached');
    } finally {
      uninstall();
    }
  });
});
