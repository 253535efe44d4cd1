import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { COLOURS } from '../../../lambda/shared/colours';
import type { Colour } from '../../../lambda/shared/colours';
import { acknowledgeWildcardResource } from '../nag-acknowledgements';

/**
 * What the fleet's launch template tags at launch: its tag specifications name these resource
 * types (CDK propagates the stack's tags to instances and volumes). The deployability tests
 * compare this list with the synthesized template's tag specifications.
 */
export const TAGGED_ON_LAUNCH: readonly string[] = ['instance', 'volume'];

/** The fleet resources a grant names. */
export interface FleetGrantResources {
  readonly groupNames: Readonly<Record<Colour, string>>;
  readonly launchTemplateId: string;
  readonly instanceRole: iam.IRole;
  /** The instance profile the launch template names (a launch may pass no other). */
  readonly instanceProfileArn: string;
  /** The largest size either group may be given (the template's MaxSize). */
  readonly maxSize: number;
  /** The subnets the groups launch into, and the instances' security group. */
  readonly subnetIds: readonly string[];
  readonly securityGroupId: string;
  readonly listenerArn: string;
  /** The SSM parameters holding the runtime state. */
  readonly runtimeParameterNames: readonly string[];
  /** The prefix every alarm of the environment's fleet starts with. */
  readonly alarmNamePrefix: string;
  /** The tag every instance of the fleet carries (propagated from its group): key and value. */
  readonly instanceTag: { readonly key: string; readonly value: string };
}

/**
 * The narrow grants the fleet offers whoever changes its runtime state (the rollout workflow),
 * each on the fleet's own resources only. Where a wildcard remains, the grant acknowledges its
 * cdk-nag finding on the grantee with the reason IAM leaves no narrower choice.
 */
export class FleetGrants {
  private readonly groupArns: Record<Colour, string>;
  private readonly launchTemplateArn: string;

  constructor(
    private readonly scope: IConstruct,
    private readonly resources: FleetGrantResources,
  ) {
    const stack = Stack.of(scope);
    // An Auto Scaling group ARN embeds an id AWS assigns at creation: groups are matched by name.
    this.groupArns = {
      blue: this.groupArn(resources.groupNames.blue),
      green: this.groupArn(resources.groupNames.green),
    };
    this.launchTemplateArn = stack.formatArn({
      service: 'ec2',
      resource: 'launch-template',
      resourceName: resources.launchTemplateId,
    });
  }

  /**
   * Resize either group (desired capacity, minimum) and switch its launch-template version, within
   * bounds IAM can check: neither size above the fleet's maximum, and never the group's subnets
   * (a request that names `VPCZoneIdentifier` is refused). The keys are `IfExists`: a request that
   * leaves a size out keeps it.
   * @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/control-access-using-iam.html#policy-auto-scaling-condition-keys
   */
  scaleGroups(grantee: iam.IGrantable): iam.Grant {
    return this.onGroups(grantee, 'autoscaling:UpdateAutoScalingGroup', {
      NumericLessThanEqualsIfExists: {
        'autoscaling:MaxSize': this.resources.maxSize,
        'autoscaling:MinSize': this.resources.maxSize,
      },
      Null: { 'autoscaling:VPCZoneIdentifiers': 'true' },
    });
  }

  /** Start an instance refresh of either group. */
  refresh(grantee: iam.IGrantable): iam.Grant {
    return this.onGroups(grantee, 'autoscaling:StartInstanceRefresh');
  }

  /** Cancel an instance refresh of either group. */
  cancelRefresh(grantee: iam.IGrantable): iam.Grant {
    return this.onGroups(grantee, 'autoscaling:CancelInstanceRefresh');
  }

  /**
   * Create launch-template versions and launch from the fleet's template, passing its instance
   * role and tagging what the launch creates: Auto Scaling checks the RunInstances rights of
   * whoever hands it a launch template (UpdateAutoScalingGroup, StartInstanceRefresh with a
   * desired configuration), and a template with tag specifications needs ec2:CreateTags on
   * create as well ("This policy is needed if there are tags specified in the launch template").
   * Launch rights are code execution on the fleet, so each resource of a launch is bounded by
   * what IAM can check: the template, an image of `imageOwners` only (`ec2:Owner`), the fleet's
   * own subnets and security group, its instance profile and IMDSv2 (`ec2:InstanceProfile`,
   * `ec2:MetadataHttpTokens`). IAM cannot constrain what a new template version contains, so
   * these conditions, not the version, are what keeps a foreign image or another profile out.
   * @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-launch-template-permissions.html
   * @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/ts-as-launch-template.html
   * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html (RunInstances condition keys)
   */
  launch(grantee: iam.IGrantable, imageOwners: readonly string[]): iam.Grant {
    const stack = Stack.of(this.scope);
    const template = this.launchTemplateArn;
    const viaTemplate = { ArnLike: { 'ec2:LaunchTemplate': template } };
    const arn = (resource: string, name: string, account?: string) =>
      stack.formatArn({
        service: 'ec2',
        resource,
        resourceName: name,
        ...(account !== undefined ? { account } : {}),
      });
    // What a launch creates: new ids, so only a wildcard names them; the template bounds them.
    const created = ['volume', 'network-interface'];
    const createdArns = created.map((type) => arn(type, '*'));
    const instances = arn('instance', '*');
    const images = arn('image', '*', '');
    created.forEach((type, i) =>
      acknowledgeWildcardResource(
        grantee,
        createdArns[i] as string,
        `RunInstances creates this ${type}; allowed only through the fleet's launch template` +
          (TAGGED_ON_LAUNCH.includes(type) ? ', and tagged only as it is created (ec2:CreateAction)' : ''),
      ),
    );
    acknowledgeWildcardResource(
      grantee,
      instances,
      "RunInstances creates the instance; only through the fleet's launch template, with its instance profile and IMDSv2 required, and tagged only as it is created (ec2:CreateAction)",
    );
    acknowledgeWildcardResource(
      grantee,
      images,
      `the AMI is chosen at run time; only an image owned by ${imageOwners.length === 1 ? 'the image factory' : 'a trusted'} account (ec2:Owner), through the fleet's launch template`,
    );
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['ec2:CreateLaunchTemplateVersion'],
      resourceArns: [template],
    })
      .combine(
        iam.Grant.addToPrincipal({
          grantee,
          actions: ['ec2:RunInstances'],
          resourceArns: [
            template,
            ...createdArns,
            // The fleet's own subnets and security group: used, not created, by a launch.
            ...this.resources.subnetIds.map((id) => arn('subnet', id)),
            arn('security-group', this.resources.securityGroupId),
          ],
          conditions: viaTemplate,
        }),
      )
      .combine(
        iam.Grant.addToPrincipal({
          grantee,
          actions: ['ec2:RunInstances'],
          resourceArns: [instances],
          conditions: {
            ...viaTemplate,
            StringEquals: {
              'ec2:InstanceProfile': this.resources.instanceProfileArn,
              'ec2:MetadataHttpTokens': 'required',
            },
          },
        }),
      )
      .combine(
        iam.Grant.addToPrincipal({
          grantee,
          actions: ['ec2:RunInstances'],
          resourceArns: [images],
          conditions: { ...viaTemplate, StringEquals: { 'ec2:Owner': [...imageOwners] } },
        }),
      )
      .combine(
        iam.Grant.addToPrincipal({
          grantee,
          actions: ['ec2:CreateTags'],
          resourceArns: TAGGED_ON_LAUNCH.map((type) =>
            stack.formatArn({ service: 'ec2', resource: type, resourceName: '*' }),
          ),
          // Tags only as part of a launch: never on an existing instance or volume.
          conditions: { StringEquals: { 'ec2:CreateAction': 'RunInstances' } },
        }),
      )
      .combine(
        iam.Grant.addToPrincipal({
          grantee,
          actions: ['iam:PassRole'],
          resourceArns: [this.resources.instanceRole.roleArn],
          conditions: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
        }),
      );
  }

  /** Change the listener's weighted forward action (the traffic each colour gets). */
  shiftTraffic(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['elasticloadbalancing:ModifyListener'],
      resourceArns: [this.resources.listenerArn],
    });
  }

  /** Read and write the SSM parameters that hold the runtime state the template deploys from. */
  runtimeState(
    grantee: iam.IGrantable,
    actions: string[] = ['ssm:GetParameter', 'ssm:PutParameter'],
  ): iam.Grant {
    const stack = Stack.of(this.scope);
    return iam.Grant.addToPrincipal({
      grantee,
      actions,
      resourceArns: this.resources.runtimeParameterNames.map((name) =>
        stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: name.replace(/^\//, '') }),
      ),
    });
  }

  /**
   * Take instances out of the fleet: detach them from either group, and terminate instances that
   * carry the fleet's tag (a detached instance keeps the tags its group gave it at launch).
   * @see https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DetachInstances.html
   * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html (aws:ResourceTag on instance)
   */
  removeInstances(grantee: iam.IGrantable): iam.Grant {
    const instances = this.instanceArns(
      grantee,
      'the fleet tag condition limits termination to its own instances',
    );
    return this.onGroups(grantee, 'autoscaling:DetachInstances').combine(
      iam.Grant.addToPrincipal({
        grantee,
        actions: ['ec2:TerminateInstances'],
        resourceArns: [instances],
        conditions: {
          StringEquals: {
            [`aws:ResourceTag/${this.resources.instanceTag.key}`]: this.resources.instanceTag.value,
          },
        },
      }),
    );
  }

  /**
   * Put the given tag keys on the fleet's instances, and no other key on no other instance.
   * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/supported-iam-actions-tagging.html
   */
  tagInstances(grantee: iam.IGrantable, keys: readonly string[]): iam.Grant {
    const instances = this.instanceArns(
      grantee,
      'the fleet tag condition limits tagging to its own instances',
    );
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['ec2:CreateTags'],
      resourceArns: [instances],
      conditions: {
        StringEquals: {
          [`aws:ResourceTag/${this.resources.instanceTag.key}`]: this.resources.instanceTag.value,
        },
        'ForAllValues:StringEquals': { 'aws:TagKeys': [...keys] },
      },
    });
  }

  /** Read the state of the fleet's alarms (matched by their shared name prefix). */
  readAlarms(grantee: iam.IGrantable): iam.Grant {
    const alarms = Stack.of(this.scope).formatArn({
      service: 'cloudwatch',
      resource: 'alarm',
      resourceName: `${this.resources.alarmNamePrefix}*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    acknowledgeWildcardResource(grantee, alarms, "the fleet's own alarms, by their name prefix");
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['cloudwatch:DescribeAlarms'],
      resourceArns: [alarms],
    });
  }

  private onGroups(
    grantee: iam.IGrantable,
    action: string,
    conditions?: Record<string, Record<string, unknown>>,
  ): iam.Grant {
    for (const colour of COLOURS) {
      acknowledgeWildcardResource(
        grantee,
        this.groupArns[colour],
        `${colour} group by name: an Auto Scaling group ARN embeds a generated id, so IAM can only match it by name`,
      );
    }
    return iam.Grant.addToPrincipal({
      grantee,
      actions: [action],
      resourceArns: COLOURS.map((c) => this.groupArns[c]),
      ...(conditions ? { conditions } : {}),
    });
  }

  /** Every instance of the account and region: instance ids are assigned at launch. */
  private instanceArns(grantee: iam.IGrantable, reason: string): string {
    const arn = Stack.of(this.scope).formatArn({ service: 'ec2', resource: 'instance', resourceName: '*' });
    acknowledgeWildcardResource(grantee, arn, `instance ids are assigned at launch; ${reason}`);
    return arn;
  }

  private groupArn(name: string): string {
    return Stack.of(this.scope).formatArn({
      service: 'autoscaling',
      resource: 'autoScalingGroup',
      resourceName: `*:autoScalingGroupName/${name}`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }
}
