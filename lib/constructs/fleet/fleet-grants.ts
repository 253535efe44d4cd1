import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { COLOURS } from '../../../lambda/shared/colours';
import type { Colour } from '../../../lambda/shared/colours';
import { acknowledgeWildcardResource } from '../nag-acknowledgements';

/** The fleet resources a grant names. */
export interface FleetGrantResources {
  readonly groupNames: Readonly<Record<Colour, string>>;
  readonly launchTemplateId: string;
  readonly instanceRole: iam.IRole;
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

  /** Resize either group (desired capacity, minimum) and switch its launch-template version. */
  scaleGroups(grantee: iam.IGrantable): iam.Grant {
    return this.onGroups(grantee, 'autoscaling:UpdateAutoScalingGroup');
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
   * role: switching a group's version requires the rights to launch from it.
   * @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-launch-template-permissions.html
   */
  launch(grantee: iam.IGrantable): iam.Grant {
    const stack = Stack.of(this.scope);
    const template = this.launchTemplateArn;
    // Every resource of a launch, the template included, only through the fleet's template.
    // @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ExamplePolicies_EC2.html
    const launched = ['instance', 'volume', 'network-interface', 'subnet', 'security-group'];
    const launchedArns = launched.map((type) =>
      stack.formatArn({ service: 'ec2', resource: type, resourceName: '*' }),
    );
    const images = stack.formatArn({ service: 'ec2', account: '', resource: 'image', resourceName: '*' });
    launched.forEach((type, i) =>
      acknowledgeWildcardResource(
        grantee,
        launchedArns[i] as string,
        `RunInstances creates this ${type}; allowed only through the fleet's launch template`,
      ),
    );
    acknowledgeWildcardResource(
      grantee,
      images,
      'released AMIs are chosen at run time; launches only through the fleet launch template',
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
          resourceArns: [template, ...launchedArns, images],
          conditions: { ArnLike: { 'ec2:LaunchTemplate': template } },
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

  private onGroups(grantee: iam.IGrantable, action: string): iam.Grant {
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
