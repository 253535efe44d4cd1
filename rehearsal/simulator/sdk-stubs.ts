import * as autoScaling from '@aws-sdk/client-auto-scaling';
import * as cloudWatch from '@aws-sdk/client-cloudwatch';
import * as dynamodb from '@aws-sdk/client-dynamodb';
import * as ec2 from '@aws-sdk/client-ec2';
import * as elbv2 from '@aws-sdk/client-elastic-load-balancing-v2';
import * as imageBuilder from '@aws-sdk/client-imagebuilder';
import * as sns from '@aws-sdk/client-sns';
import * as ssm from '@aws-sdk/client-ssm';
import type { SimService } from './errors';
import type { AutoScalingService } from './services/auto-scaling';
import type { CloudWatchService } from './services/cloudwatch';
import type { DynamoDbService } from './services/dynamodb';
import type { Ec2Service } from './services/ec2';
import type { Elbv2Service } from './services/elbv2';
import type { ImageBuilderService } from './services/image-builder';
import type { SnsService } from './services/sns';
import type { SsmService } from './services/ssm';

// What the SDK's send resolves to: the output and response metadata.
const METADATA = { httpStatusCode: 200, attempts: 1, totalRetryDelay: 0 };

type AnyCommand = new (input: never) => { readonly input: unknown };
type Route = readonly [AnyCommand, string, (input: never) => object];

/** What the stubs route to: the simulated services, through the simulator's accounting of calls. */
export interface StubTarget {
  readonly autoScaling: AutoScalingService;
  readonly ec2: Ec2Service;
  readonly elbv2: Elbv2Service;
  readonly cloudWatch: CloudWatchService;
  readonly ssm: SsmService;
  readonly dynamodb: DynamoDbService;
  readonly sns: SnsService;
  readonly imageBuilder: ImageBuilderService;
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
  const as = sim.autoScaling;
  wire('autoScaling', autoScaling.AutoScalingClient, [
    [
      autoScaling.DescribeAutoScalingGroupsCommand,
      'DescribeAutoScalingGroups',
      (i) => as.describeAutoScalingGroups(i),
    ],
    [
      autoScaling.UpdateAutoScalingGroupCommand,
      'UpdateAutoScalingGroup',
      (i) => as.updateAutoScalingGroup(i),
    ],
    [autoScaling.StartInstanceRefreshCommand, 'StartInstanceRefresh', (i) => as.startInstanceRefresh(i)],
    [
      autoScaling.DescribeInstanceRefreshesCommand,
      'DescribeInstanceRefreshes',
      (i) => as.describeInstanceRefreshes(i),
    ],
    [autoScaling.CancelInstanceRefreshCommand, 'CancelInstanceRefresh', (i) => as.cancelInstanceRefresh(i)],
  ]);
  const e = sim.ec2;
  wire('ec2', ec2.EC2Client, [
    [ec2.DescribeImagesCommand, 'DescribeImages', (i) => e.describeImages(i)],
    [ec2.CreateTagsCommand, 'CreateTags', (i) => e.createTags(i)],
    [ec2.DeleteTagsCommand, 'DeleteTags', (i) => e.deleteTags(i)],
    [
      ec2.CreateLaunchTemplateVersionCommand,
      'CreateLaunchTemplateVersion',
      (i) => e.createLaunchTemplateVersion(i),
    ],
    [ec2.DescribeInstancesCommand, 'DescribeInstances', (i) => e.describeInstances(i)],
    [ec2.DescribeLaunchTemplatesCommand, 'DescribeLaunchTemplates', (i) => e.describeLaunchTemplates(i)],
  ]);
  const lb = sim.elbv2;
  wire('elbv2', elbv2.ElasticLoadBalancingV2Client, [
    [elbv2.DescribeListenersCommand, 'DescribeListeners', (i) => lb.describeListeners(i)],
    [elbv2.ModifyListenerCommand, 'ModifyListener', (i) => lb.modifyListener(i)],
    [elbv2.DescribeTargetHealthCommand, 'DescribeTargetHealth', (i) => lb.describeTargetHealth(i)],
  ]);
  const cw = sim.cloudWatch;
  wire('cloudWatch', cloudWatch.CloudWatchClient, [
    [cloudWatch.DescribeAlarmsCommand, 'DescribeAlarms', (i) => cw.describeAlarms(i)],
    [cloudWatch.GetMetricDataCommand, 'GetMetricData', (i) => cw.getMetricData(i)],
  ]);
  const ps = sim.ssm;
  wire('ssm', ssm.SSMClient, [
    [ssm.GetParameterCommand, 'GetParameter', (i) => ps.getParameter(i)],
    [ssm.PutParameterCommand, 'PutParameter', (i) => ps.putParameter(i)],
  ]);
  const db = sim.dynamodb;
  wire('dynamodb', dynamodb.DynamoDBClient, [
    [dynamodb.PutItemCommand, 'PutItem', (i) => db.putItem(i)],
    [dynamodb.GetItemCommand, 'GetItem', (i) => db.getItem(i)],
    [dynamodb.UpdateItemCommand, 'UpdateItem', (i) => db.updateItem(i)],
    [dynamodb.DeleteItemCommand, 'DeleteItem', (i) => db.deleteItem(i)],
    [dynamodb.QueryCommand, 'Query', (i) => db.query(i)],
  ]);
  wire('sns', sns.SNSClient, [[sns.PublishCommand, 'Publish', (i) => sim.sns.publish(i)]]);
  wire('imageBuilder', imageBuilder.ImagebuilderClient, [
    [imageBuilder.GetImageCommand, 'GetImage', (i) => sim.imageBuilder.getImage(i)],
  ]);
  let uninstalled = false;
  return () => {
    if (uninstalled) return;
    uninstalled = true;
    for (const restore of restores) restore();
    installed = false;
  };
}
