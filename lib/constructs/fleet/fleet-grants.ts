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
  readonly listenerArn: string;
  /** The SSM parameters holding the runtime state. */
  readonly runtimeParameterNames: readonly string[];
  /** The prefix every alarm of the environment's fleet starts with. */
  readonly alarmNamePrefix: string;
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
   * role and tagging what the launch creates: Auto Scaling checks the RunInstances rights of
   * whoever hands it a launch template (UpdateAutoScalingGroup, StartInstanceRefresh with a
   * desired configuration), and a template with tag specifications needs ec2:CreateTags on
   * create as well ("This policy is needed if there are tags specified in the launch template").
   * @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-launch-template-permissions.html
   * @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/ts-as-launch-template.html
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
        `RunInstances creates this ${type}; allowed only through the fleet's launch template` +
          (TAGGED_ON_LAUNCH.includes(type) ? ', and tagged only as it is created (ec2:CreateAction)' : ''),
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
  runtimeState(grantee: iam.IGrantable): iam.Grant {
    const stack = Stack.of(this.scope);
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['ssm:GetParameter', 'ssm:PutParameter'],
      resourceArns: this.resources.runtimeParameterNames.map((name) =>
        stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: name.replace(/^\//, '') }),
      ),
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

  private groupArn(name: string): string {
    return Stack.of(this.scope).formatArn({
      service: 'autoscaling',
      resource: 'autoScalingGroup',
      resourceName: `*:autoScalingGroupName/${name}`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }
}
