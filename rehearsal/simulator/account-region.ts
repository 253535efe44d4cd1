import type {
  DescribeAutoScalingGroupsCommandInput,
  DescribeAutoScalingGroupsCommandOutput,
} from '@aws-sdk/client-auto-scaling';
import type {
  DescribeAlarmsCommandInput,
  DescribeAlarmsCommandOutput,
  GetMetricDataCommandInput,
  GetMetricDataCommandOutput,
} from '@aws-sdk/client-cloudwatch';
import type {
  CreateTagsCommandInput,
  DeleteTagsCommandInput,
  DescribeInstancesCommandInput,
  DescribeInstancesCommandOutput,
  TerminateInstancesCommandInput,
} from '@aws-sdk/client-ec2';
import { SimulatorUnsupportedError, throttlingError } from './errors';
import type { SimService } from './errors';
import type { FleetSimulator } from './fleet-simulator';
import type { ImageCatalog } from './image-catalog';
import type { Place } from './place';
import type { StubTarget } from './sdk-routes';
import { DynamoDbService } from './services/dynamodb';
import { Ec2Service } from './services/ec2';
import { EventsService } from './services/events';
import { ImageBuilderService } from './services/image-builder';
import { SnsService } from './services/sns';
import { SsmService } from './services/ssm';
import { NoStepFunctions } from './services/step-functions';
import type { StepFunctionsApi } from './services/step-functions';

type Out<T> = Omit<T, '$metadata'>;

/** Commands that change the simulated world: each is followed by a physics settle and a step. */
const MUTATING = new Set([
  'UpdateAutoScalingGroup',
  'StartInstanceRefresh',
  'CancelInstanceRefresh',
  'DetachInstances',
  'TerminateInstances',
  'CreateTags',
  'DeleteTags',
  'CreateLaunchTemplateVersion',
  'ModifyListener',
  'PutParameter',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Publish',
  'PutEvents',
  'StartExecution',
  'SendTaskSuccess',
  'SendTaskFailure',
]);

/**
 * One account in one region, as moto keys its backends: the services shared by everything
 * deployed there (SSM, DynamoDB, SNS, the default event bus, Image Builder, Step Functions), the
 * fleets deployed there, and the accounting of every call (counts, throttling). A call naming a
 * fleet's resource (a group, a listener, an instance, a launch template, an alarm) reaches the
 * fleet that owns it; AMIs are the region's catalog's, seen as this account sees them.
 */
export class AccountRegion implements Place, StubTarget {
  /** Calls per command name (without "Command"), throttled ones included. */
  readonly apiCalls: Record<string, number> = {};
  readonly ssm: SsmService;
  readonly dynamodb: DynamoDbService;
  readonly sns: SnsService;
  readonly imageBuilder: ImageBuilderService;
  /** The default event bus. */
  readonly events: EventsService;
  /** Whoever runs this account's state machines answers Step Functions; nobody, until then. */
  sfn: StepFunctionsApi = new NoStepFunctions();
  readonly fleets: FleetSimulator[] = [];
  /** EC2 of this account with no fleet in view: its AMIs. */
  private readonly images: Ec2Service;
  private throttleRemaining = 0;

  constructor(
    readonly accountId: string,
    readonly region: string,
    private readonly clock: Pick<Place, 'now' | 'dateAt'>,
    readonly catalog: ImageCatalog,
  ) {
    this.ssm = new SsmService(this);
    this.dynamodb = new DynamoDbService();
    this.sns = new SnsService(this);
    this.imageBuilder = new ImageBuilderService(this);
    this.events = new EventsService(this, () => this.now());
    this.images = new Ec2Service(this);
  }

  now(): Date {
    return this.clock.now();
  }

  dateAt(t: number): Date {
    return this.clock.dateAt(t);
  }

  /** A fleet deployed here (its constructor adds itself). */
  addFleet(fleet: FleetSimulator): void {
    this.fleets.push(fleet);
  }

  /**
   * Entry point of every simulated call in this account and region: counts it, applies
   * throttling, runs the handler and, for a command that changes something, settles every
   * fleet's physics and tells their step listeners.
   */
  call<T>(_service: SimService, command: string, handler: () => T): T {
    this.apiCalls[command] = (this.apiCalls[command] ?? 0) + 1;
    if (this.throttleRemaining > 0) {
      this.throttleRemaining--;
      throw throttlingError(_service);
    }
    const result = handler();
    if (MUTATING.has(command)) for (const fleet of this.fleets) fleet.settleAndNotify();
    return result;
  }

  /** The error for a command the simulator does not model. */
  unsupported(service: SimService, command: string): Error {
    this.apiCalls[command] = (this.apiCalls[command] ?? 0) + 1;
    return new SimulatorUnsupportedError(
      `The fleet simulator does not simulate ${service} ${command}Command; add it to rehearsal/simulator or stop calling it in the rehearsal.`,
    );
  }

  /** The next `calls` calls in this account and region fail with a throttling error. */
  throttleNext(calls: number): void {
    if (!(Number.isInteger(calls) && calls >= 0))
      throw new Error(`throttleNext: calls must be an integer >= 0, got ${calls}`);
    this.throttleRemaining += calls;
  }

  /** Forgets injected throttles not yet consumed. */
  clearPendingThrottles(): void {
    this.throttleRemaining = 0;
  }

  // ---- routing to the fleet that owns what a call names -----------------------------------

  /** The fleet owning `has`'s resource; the first one (whose service then says it is missing) if none does. */
  private owner(has: (fleet: FleetSimulator) => boolean): FleetSimulator {
    const found = this.fleets.find(has) ?? this.fleets[0];
    if (!found)
      throw new SimulatorUnsupportedError(
        `no fleet runs in account ${this.accountId} in ${this.region}: its groups, instances and load balancers are not simulated`,
      );
    return found;
  }

  private ofGroup(name: string | undefined) {
    return this.owner((f) => f.ownsGroup(name ?? ''));
  }

  readonly autoScaling: StubTarget['autoScaling'] = {
    describeAutoScalingGroups: (input: DescribeAutoScalingGroupsCommandInput) => {
      const names = input.AutoScalingGroupNames;
      if (this.fleets.length === 1 || !names?.length)
        return this.merged((f) => f.autoScaling.describeAutoScalingGroups(input), 'AutoScalingGroups');
      return this.merged((f) => {
        const own = names.filter((n) => f.ownsGroup(n));
        return own.length
          ? f.autoScaling.describeAutoScalingGroups({ ...input, AutoScalingGroupNames: own })
          : { AutoScalingGroups: [] };
      }, 'AutoScalingGroups') as Out<DescribeAutoScalingGroupsCommandOutput>;
    },
    updateAutoScalingGroup: (input) =>
      this.ofGroup(input.AutoScalingGroupName).autoScaling.updateAutoScalingGroup(input),
    startInstanceRefresh: (input) =>
      this.ofGroup(input.AutoScalingGroupName).autoScaling.startInstanceRefresh(input),
    describeInstanceRefreshes: (input) =>
      this.ofGroup(input.AutoScalingGroupName).autoScaling.describeInstanceRefreshes(input),
    cancelInstanceRefresh: (input) =>
      this.ofGroup(input.AutoScalingGroupName).autoScaling.cancelInstanceRefresh(input),
    detachInstances: (input) => this.ofGroup(input.AutoScalingGroupName).autoScaling.detachInstances(input),
  };

  readonly ec2: StubTarget['ec2'] = {
    describeImages: (input) => this.images.describeImages(input),
    createTags: (input: CreateTagsCommandInput) => this.byTaggedResource(input).createTags(input),
    deleteTags: (input: DeleteTagsCommandInput) => this.byTaggedResource(input).deleteTags(input),
    describeLaunchTemplates: (input) =>
      this.owner((f) =>
        f.ownsLaunchTemplate(input.LaunchTemplateIds?.[0], input.LaunchTemplateNames?.[0]),
      ).ec2.describeLaunchTemplates(input),
    createLaunchTemplateVersion: (input) =>
      this.owner((f) =>
        f.ownsLaunchTemplate(input.LaunchTemplateId, input.LaunchTemplateName),
      ).ec2.createLaunchTemplateVersion(input),
    describeInstances: (input: DescribeInstancesCommandInput) => {
      const ids = input.InstanceIds;
      if (this.fleets.length === 1 || !ids?.length)
        return this.merged((f) => f.ec2.describeInstances(input), 'Reservations');
      // Every id must exist somewhere; an unknown one fails as EC2 reports it, through the first fleet.
      if (!ids.every((id) => this.fleets.some((f) => f.ownsInstance(id))))
        return this.owner(() => false).ec2.describeInstances(input);
      return this.merged((f) => {
        const own = ids.filter((id) => f.ownsInstance(id));
        return own.length ? f.ec2.describeInstances({ ...input, InstanceIds: own }) : { Reservations: [] };
      }, 'Reservations') as Out<DescribeInstancesCommandOutput>;
    },
    terminateInstances: (input: TerminateInstancesCommandInput) => {
      const ids = input.InstanceIds ?? [];
      const owner = this.owner((f) => ids.length > 0 && ids.every((id) => f.ownsInstance(id)));
      if (this.fleets.length === 1 || ids.every((id) => owner.ownsInstance(id)))
        return owner.ec2.terminateInstances(input);
      throw new SimulatorUnsupportedError(
        'TerminateInstances of instances of several fleets at once is not simulated',
      );
    },
  };

  readonly elbv2: StubTarget['elbv2'] = {
    describeListeners: (input) =>
      this.owner((f) =>
        (input.ListenerArns ?? []).some((arn) => f.ownsListener(arn)),
      ).elbv2.describeListeners(input),
    modifyListener: (input) =>
      this.owner((f) => f.ownsListener(input.ListenerArn ?? '')).elbv2.modifyListener(input),
    describeTargetHealth: (input) =>
      this.owner((f) => f.ownsTargetGroup(input.TargetGroupArn ?? '')).elbv2.describeTargetHealth(input),
  };

  readonly cloudWatch: StubTarget['cloudWatch'] = {
    describeAlarms: (input: DescribeAlarmsCommandInput) => {
      if (this.fleets.length === 1) return this.owner(() => true).cloudWatch.describeAlarms(input);
      const answers = this.fleets.map((f) => f.cloudWatch.describeAlarms(input));
      return {
        MetricAlarms: answers.flatMap((a) => a.MetricAlarms ?? []),
        CompositeAlarms: answers.flatMap((a) => a.CompositeAlarms ?? []),
      } as Out<DescribeAlarmsCommandOutput>;
    },
    getMetricData: (input: GetMetricDataCommandInput) => {
      if (this.fleets.length === 1) return this.owner(() => true).cloudWatch.getMetricData(input);
      // Each query reaches the fleet whose target group or load balancer its dimensions name.
      const queries = input.MetricDataQueries ?? [];
      const results = this.fleets.flatMap((f) => {
        const own = queries.filter((q) =>
          (q.MetricStat?.Metric?.Dimensions ?? []).some((d) => f.ownsMetricDimension(d.Value ?? '')),
        );
        return own.length
          ? (f.cloudWatch.getMetricData({ ...input, MetricDataQueries: own }).MetricDataResults ?? [])
          : [];
      });
      return { MetricDataResults: results, Messages: [] } as Out<GetMetricDataCommandOutput>;
    },
  };

  /** Tags of AMIs are this account's (the catalog's); tags of instances, their fleet's. */
  private byTaggedResource(input: { Resources?: string[] }): Ec2Service {
    const instances = (input.Resources ?? []).filter((id) => id.startsWith('i-'));
    if (instances.length === 0) return this.images;
    return this.owner((f) => instances.every((id) => f.ownsInstance(id))).ec2 as Ec2Service;
  }

  /** One fleet's answer, or every fleet's answers with their `key` lists joined. */
  private merged<T extends object>(ask: (fleet: FleetSimulator) => T, key: keyof T & string): T {
    if (this.fleets.length <= 1) return ask(this.owner(() => true));
    const answers = this.fleets.map(ask);
    return {
      ...(answers[0] as T),
      [key]: answers.flatMap((a) => ((a as Record<string, unknown>)[key] as unknown[] | undefined) ?? []),
    } as T;
  }
}
