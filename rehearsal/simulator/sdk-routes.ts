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
import type { SimService } from './errors';
import type { AutoScalingService } from './services/auto-scaling';
import type { CloudWatchService } from './services/cloudwatch';
import type { DynamoDbService } from './services/dynamodb';
import type { Ec2Service } from './services/ec2';
import type { Elbv2Service } from './services/elbv2';
import type { EventsService } from './services/events';
import type { ImageBuilderService } from './services/image-builder';
import type { SnsService } from './services/sns';
import type { StepFunctionsApi } from './services/step-functions';
import type { SsmService } from './services/ssm';

/** The methods of a simulated service that answer calls. */
type Api<T> = Pick<T, { [K in keyof T]: T[K] extends (input: never) => object ? K : never }[keyof T]>;

/**
 * What the clients' calls reach: the simulated services of one account and region, through its
 * accounting of calls (a fleet's own, or an account and region holding several, which routes each
 * call to the fleet owning what it names).
 */
export interface StubTarget {
  readonly autoScaling: Api<AutoScalingService>;
  readonly ec2: Api<Ec2Service>;
  readonly elbv2: Api<Elbv2Service>;
  readonly cloudWatch: Api<CloudWatchService>;
  readonly ssm: Api<SsmService>;
  readonly dynamodb: Api<DynamoDbService>;
  readonly sns: Api<SnsService>;
  readonly imageBuilder: Api<ImageBuilderService>;
  readonly events: Api<EventsService>;
  readonly sfn: StepFunctionsApi;
  /** Calls so far per command name (a response's request id numbers them). */
  readonly apiCalls: Readonly<Record<string, number>>;
  /** Counts the call, applies injected faults and runs `handler`, as every simulated call goes. */
  call<T>(service: SimService, command: string, handler: () => T): T;
  /** The error for a command the simulator does not model (counted too). */
  unsupported(service: SimService, command: string): Error;
}

type AnyCommand = new (input: never) => { readonly input: unknown };

/** One simulated command: its service, the SDK command it answers, its name, and the call behind it. */
type Route = readonly [SimService, AnyCommand, string, (target: StubTarget, input: never) => object];

/** Every command the simulator answers. */
const ROUTES: readonly Route[] = [
  [
    'autoScaling',
    autoScaling.DescribeAutoScalingGroupsCommand,
    'DescribeAutoScalingGroups',
    (t, i) => t.autoScaling.describeAutoScalingGroups(i),
  ],
  [
    'autoScaling',
    autoScaling.UpdateAutoScalingGroupCommand,
    'UpdateAutoScalingGroup',
    (t, i) => t.autoScaling.updateAutoScalingGroup(i),
  ],
  [
    'autoScaling',
    autoScaling.StartInstanceRefreshCommand,
    'StartInstanceRefresh',
    (t, i) => t.autoScaling.startInstanceRefresh(i),
  ],
  [
    'autoScaling',
    autoScaling.DescribeInstanceRefreshesCommand,
    'DescribeInstanceRefreshes',
    (t, i) => t.autoScaling.describeInstanceRefreshes(i),
  ],
  [
    'autoScaling',
    autoScaling.CancelInstanceRefreshCommand,
    'CancelInstanceRefresh',
    (t, i) => t.autoScaling.cancelInstanceRefresh(i),
  ],
  [
    'autoScaling',
    autoScaling.DetachInstancesCommand,
    'DetachInstances',
    (t, i) => t.autoScaling.detachInstances(i),
  ],
  ['ec2', ec2.DescribeImagesCommand, 'DescribeImages', (t, i) => t.ec2.describeImages(i)],
  ['ec2', ec2.CreateTagsCommand, 'CreateTags', (t, i) => t.ec2.createTags(i)],
  ['ec2', ec2.DeleteTagsCommand, 'DeleteTags', (t, i) => t.ec2.deleteTags(i)],
  [
    'ec2',
    ec2.CreateLaunchTemplateVersionCommand,
    'CreateLaunchTemplateVersion',
    (t, i) => t.ec2.createLaunchTemplateVersion(i),
  ],
  ['ec2', ec2.DescribeInstancesCommand, 'DescribeInstances', (t, i) => t.ec2.describeInstances(i)],
  ['ec2', ec2.TerminateInstancesCommand, 'TerminateInstances', (t, i) => t.ec2.terminateInstances(i)],
  [
    'ec2',
    ec2.DescribeLaunchTemplatesCommand,
    'DescribeLaunchTemplates',
    (t, i) => t.ec2.describeLaunchTemplates(i),
  ],
  ['elbv2', elbv2.DescribeListenersCommand, 'DescribeListeners', (t, i) => t.elbv2.describeListeners(i)],
  ['elbv2', elbv2.ModifyListenerCommand, 'ModifyListener', (t, i) => t.elbv2.modifyListener(i)],
  [
    'elbv2',
    elbv2.DescribeTargetHealthCommand,
    'DescribeTargetHealth',
    (t, i) => t.elbv2.describeTargetHealth(i),
  ],
  [
    'cloudWatch',
    cloudWatch.DescribeAlarmsCommand,
    'DescribeAlarms',
    (t, i) => t.cloudWatch.describeAlarms(i),
  ],
  ['cloudWatch', cloudWatch.GetMetricDataCommand, 'GetMetricData', (t, i) => t.cloudWatch.getMetricData(i)],
  ['ssm', ssm.GetParameterCommand, 'GetParameter', (t, i) => t.ssm.getParameter(i)],
  ['ssm', ssm.PutParameterCommand, 'PutParameter', (t, i) => t.ssm.putParameter(i)],
  ['dynamodb', dynamodb.PutItemCommand, 'PutItem', (t, i) => t.dynamodb.putItem(i)],
  ['dynamodb', dynamodb.GetItemCommand, 'GetItem', (t, i) => t.dynamodb.getItem(i)],
  ['dynamodb', dynamodb.UpdateItemCommand, 'UpdateItem', (t, i) => t.dynamodb.updateItem(i)],
  ['dynamodb', dynamodb.DeleteItemCommand, 'DeleteItem', (t, i) => t.dynamodb.deleteItem(i)],
  ['dynamodb', dynamodb.QueryCommand, 'Query', (t, i) => t.dynamodb.query(i)],
  ['sns', sns.PublishCommand, 'Publish', (t, i) => t.sns.publish(i)],
  ['events', eventBridge.PutEventsCommand, 'PutEvents', (t, i) => t.events.putEvents(i)],
  ['imageBuilder', imageBuilder.GetImageCommand, 'GetImage', (t, i) => t.imageBuilder.getImage(i)],
  [
    'imageBuilder',
    imageBuilder.ListImageScanFindingAggregationsCommand,
    'ListImageScanFindingAggregations',
    (t, i) => t.imageBuilder.listImageScanFindingAggregations(i),
  ],
  ['sfn', stepFunctions.StartExecutionCommand, 'StartExecution', (t, i) => t.sfn.startExecution(i)],
  ['sfn', stepFunctions.DescribeExecutionCommand, 'DescribeExecution', (t, i) => t.sfn.describeExecution(i)],
  ['sfn', stepFunctions.SendTaskSuccessCommand, 'SendTaskSuccess', (t, i) => t.sfn.sendTaskSuccess(i)],
  ['sfn', stepFunctions.SendTaskFailureCommand, 'SendTaskFailure', (t, i) => t.sfn.sendTaskFailure(i)],
];

/** What the SDK's send resolves to: the output and response metadata. */
const METADATA = { httpStatusCode: 200, attempts: 1, totalRetryDelay: 0 };

/**
 * One call of a simulated command on `target`: counted, faulted and answered as the target's
 * account and region would; a command the simulator does not model fails loudly with its name.
 */
export function sendTo(
  target: StubTarget,
  service: SimService,
  command: { readonly input: unknown },
): Promise<unknown> {
  const route = ROUTES.find(([s, Command]) => s === service && command instanceof Command);
  if (!route)
    return Promise.reject(target.unsupported(service, command.constructor.name.replace(/Command$/, '')));
  const [, , name, handler] = route;
  try {
    const output = target.call(service, name, () => handler(target, command.input as never));
    return Promise.resolve({
      ...output,
      $metadata: { ...METADATA, requestId: `${name}-${target.apiCalls[name]}` },
    });
  } catch (e) {
    return Promise.reject(e instanceof Error ? e : new Error(String(e)));
  }
}

/** Every SDK client a deployed handler or tool may ask for. */
export interface SimulatedClients {
  readonly autoScaling: autoScaling.AutoScalingClient;
  readonly ec2: ec2.EC2Client;
  /** EC2 in another region of the same account (the image factory tags its copies there). */
  readonly ec2In: (region: string) => ec2.EC2Client;
  readonly elbv2: elbv2.ElasticLoadBalancingV2Client;
  readonly cloudWatch: cloudWatch.CloudWatchClient;
  readonly dynamodb: dynamodb.DynamoDBClient;
  readonly ssm: ssm.SSMClient;
  readonly sns: sns.SNSClient;
  readonly sfn: stepFunctions.SFNClient;
  readonly events: eventBridge.EventBridgeClient;
  readonly imageBuilder: imageBuilder.ImagebuilderClient;
}

/**
 * SDK clients answered by the simulation: each is a client whose `send` hands the command to
 * `target()` (read at every call, so the caller decides which account and region answers). Only
 * `send` is offered, the one method the adapters use: the SDK's own middleware (signing,
 * retries, HTTP) has nothing to do offline, and building real clients costs milliseconds each.
 * @param targetIn the account and region answering calls made in a region
 */
export function simulatedClients(region: string, targetIn: (region: string) => StubTarget): SimulatedClients {
  const client = <T>(service: SimService, inRegion = region) =>
    ({
      send: (command: { readonly input: unknown }) => sendTo(targetIn(inRegion), service, command),
    }) as unknown as T;
  return {
    autoScaling: client('autoScaling'),
    ec2: client('ec2'),
    ec2In: (r) => client('ec2', r),
    elbv2: client('elbv2'),
    cloudWatch: client('cloudWatch'),
    dynamodb: client('dynamodb'),
    ssm: client('ssm'),
    sns: client('sns'),
    sfn: client('sfn'),
    events: client('events'),
    imageBuilder: client('imageBuilder'),
  };
}
