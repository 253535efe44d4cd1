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

// What the SDK's send resolves to: the output and response metadata.
const METADATA = { httpStatusCode: 200, attempts: 1, totalRetryDelay: 0 };

type AnyCommand = new (input: never) => { readonly input: unknown };
type Route = readonly [AnyCommand, string, (input: never) => object];

/**
 * What the stubs route to: the simulated services, through the simulator's accounting of calls.
 * Each service is read at call time, so a target may answer from a different world per call (a
 * train rehearsal routes each call to the environment whose function makes it).
 */
export interface StubTarget {
  readonly autoScaling: AutoScalingService;
  readonly ec2: Ec2Service;
  readonly elbv2: Elbv2Service;
  readonly cloudWatch: CloudWatchService;
  readonly ssm: SsmService;
  readonly dynamodb: DynamoDbService;
  readonly sns: SnsService;
  readonly imageBuilder: ImageBuilderService;
  readonly events: EventsService;
  readonly sfn: StepFunctionsApi;
  /** Calls so far per command name (a response's request id numbers them). */
  readonly apiCalls: Readonly<Record<string, number>>;
  /** Counts the call, applies injected faults and runs `handler`, as every simulated call goes. */
  call<T>(service: SimService, command: string, handler: () => T): T;
  /** The error for a command the simulator does not model (counted too). */
  unsupported(service: SimService, command: string): Error;
}

/** Whether the clients' send is stubbed now (by any simulator). */
let installed = false;

/**
 * Stubs `send` of every simulated SDK client (all instances, including those created at module
 * scope before this runs) so each simulated command reaches the simulator and any other command
 * fails loudly with its name.
 *
 * `send` is replaced on each client class's prototype and put back on uninstall, by hand rather
 * than with aws-sdk-client-mock: that registers every stub in sinon's process-wide default
 * sandbox, which never lets go of them, and each stub holds its run's whole simulated world
 * (about 1 MB a run; thousands of runs in one process ran out of memory).
 */
export function installSdkStubs(sim: StubTarget): () => void {
  // A second set of stubs would save the first as the "real" send and put it back on uninstall.
  if (installed)
    throw new Error(
      "the simulated AWS SDK clients' send is already stubbed by another simulator in this process; uninstall it first",
    );
  installed = true;
  const restores: Array<() => void> = [];
  const wire = (service: SimService, client: new (config: never) => object, routes: readonly Route[]) => {
    const prototype = client.prototype as { send?: unknown };
    const own = Object.getOwnPropertyDescriptor(prototype, 'send');
    const send = (command: { readonly input: unknown }): Promise<unknown> => {
      const route = routes.find(([Command]) => command instanceof Command);
      if (!route) {
        return Promise.reject(sim.unsupported(service, command.constructor.name.replace(/Command$/, '')));
      }
      const [, name, handler] = route;
      try {
        const output = sim.call(service, name, () => handler(command.input as never));
        return Promise.resolve({
          ...output,
          $metadata: { ...METADATA, requestId: `${name}-${sim.apiCalls[name]}` },
        });
      } catch (e) {
        return Promise.reject(e instanceof Error ? e : new Error(String(e)));
      }
    };
    Object.defineProperty(prototype, 'send', { value: send, configurable: true, writable: true });
    restores.push(() => {
      if (own) Object.defineProperty(prototype, 'send', own);
      else delete prototype.send;
    });
  };
  wire('autoScaling', autoScaling.AutoScalingClient, [
    [
      autoScaling.DescribeAutoScalingGroupsCommand,
      'DescribeAutoScalingGroups',
      (i) => sim.autoScaling.describeAutoScalingGroups(i),
    ],
    [
      autoScaling.UpdateAutoScalingGroupCommand,
      'UpdateAutoScalingGroup',
      (i) => sim.autoScaling.updateAutoScalingGroup(i),
    ],
    [
      autoScaling.StartInstanceRefreshCommand,
      'StartInstanceRefresh',
      (i) => sim.autoScaling.startInstanceRefresh(i),
    ],
    [
      autoScaling.DescribeInstanceRefreshesCommand,
      'DescribeInstanceRefreshes',
      (i) => sim.autoScaling.describeInstanceRefreshes(i),
    ],
    [
      autoScaling.CancelInstanceRefreshCommand,
      'CancelInstanceRefresh',
      (i) => sim.autoScaling.cancelInstanceRefresh(i),
    ],
    [autoScaling.DetachInstancesCommand, 'DetachInstances', (i) => sim.autoScaling.detachInstances(i)],
  ]);
  wire('ec2', ec2.EC2Client, [
    [ec2.DescribeImagesCommand, 'DescribeImages', (i) => sim.ec2.describeImages(i)],
    [ec2.CreateTagsCommand, 'CreateTags', (i) => sim.ec2.createTags(i)],
    [ec2.DeleteTagsCommand, 'DeleteTags', (i) => sim.ec2.deleteTags(i)],
    [
      ec2.CreateLaunchTemplateVersionCommand,
      'CreateLaunchTemplateVersion',
      (i) => sim.ec2.createLaunchTemplateVersion(i),
    ],
    [ec2.DescribeInstancesCommand, 'DescribeInstances', (i) => sim.ec2.describeInstances(i)],
    [ec2.TerminateInstancesCommand, 'TerminateInstances', (i) => sim.ec2.terminateInstances(i)],
    [
      ec2.DescribeLaunchTemplatesCommand,
      'DescribeLaunchTemplates',
      (i) => sim.ec2.describeLaunchTemplates(i),
    ],
  ]);
  wire('elbv2', elbv2.ElasticLoadBalancingV2Client, [
    [elbv2.DescribeListenersCommand, 'DescribeListeners', (i) => sim.elbv2.describeListeners(i)],
    [elbv2.ModifyListenerCommand, 'ModifyListener', (i) => sim.elbv2.modifyListener(i)],
    [elbv2.DescribeTargetHealthCommand, 'DescribeTargetHealth', (i) => sim.elbv2.describeTargetHealth(i)],
  ]);
  wire('cloudWatch', cloudWatch.CloudWatchClient, [
    [cloudWatch.DescribeAlarmsCommand, 'DescribeAlarms', (i) => sim.cloudWatch.describeAlarms(i)],
    [cloudWatch.GetMetricDataCommand, 'GetMetricData', (i) => sim.cloudWatch.getMetricData(i)],
  ]);
  wire('ssm', ssm.SSMClient, [
    [ssm.GetParameterCommand, 'GetParameter', (i) => sim.ssm.getParameter(i)],
    [ssm.PutParameterCommand, 'PutParameter', (i) => sim.ssm.putParameter(i)],
  ]);
  wire('dynamodb', dynamodb.DynamoDBClient, [
    [dynamodb.PutItemCommand, 'PutItem', (i) => sim.dynamodb.putItem(i)],
    [dynamodb.GetItemCommand, 'GetItem', (i) => sim.dynamodb.getItem(i)],
    [dynamodb.UpdateItemCommand, 'UpdateItem', (i) => sim.dynamodb.updateItem(i)],
    [dynamodb.DeleteItemCommand, 'DeleteItem', (i) => sim.dynamodb.deleteItem(i)],
    [dynamodb.QueryCommand, 'Query', (i) => sim.dynamodb.query(i)],
  ]);
  wire('sns', sns.SNSClient, [[sns.PublishCommand, 'Publish', (i) => sim.sns.publish(i)]]);
  wire('events', eventBridge.EventBridgeClient, [
    [eventBridge.PutEventsCommand, 'PutEvents', (i) => sim.events.putEvents(i)],
  ]);
  wire('imageBuilder', imageBuilder.ImagebuilderClient, [
    [imageBuilder.GetImageCommand, 'GetImage', (i) => sim.imageBuilder.getImage(i)],
    [
      imageBuilder.ListImageScanFindingAggregationsCommand,
      'ListImageScanFindingAggregations',
      (i) => sim.imageBuilder.listImageScanFindingAggregations(i),
    ],
  ]);
  wire('sfn', stepFunctions.SFNClient, [
    [stepFunctions.StartExecutionCommand, 'StartExecution', (i) => sim.sfn.startExecution(i)],
    [stepFunctions.DescribeExecutionCommand, 'DescribeExecution', (i) => sim.sfn.describeExecution(i)],
    [stepFunctions.SendTaskSuccessCommand, 'SendTaskSuccess', (i) => sim.sfn.sendTaskSuccess(i)],
    [stepFunctions.SendTaskFailureCommand, 'SendTaskFailure', (i) => sim.sfn.sendTaskFailure(i)],
  ]);
  let uninstalled = false;
  return () => {
    if (uninstalled) return;
    uninstalled = true;
    for (const restore of restores) restore();
    installed = false;
  };
}
