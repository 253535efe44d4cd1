import { Validations } from 'aws-cdk-lib';
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CfnLifecyclePolicy } from 'aws-cdk-lib/aws-imagebuilder';
import { Construct } from 'constructs';
import { lifecycleRules } from './lifecycle-rules';
import type { LifecycleRulesInput } from './lifecycle-rules';

/** Properties of {@link ImageLifecycle}. */
export interface ImageLifecycleProps extends LifecycleRulesInput {
  /** Lifecycle policy name (lower case, no spaces or underscores). */
  readonly name: string;
  /**
   * Tags of the Image Builder images the policy manages: only images carrying all of them are
   * touched, so other pipelines' and other teams' AMIs never are.
   */
  readonly selectByImageTags: Readonly<Record<string, string>>;
}

/** Deprecates, then deletes, this pipeline's old AMIs and their snapshots. */
export class ImageLifecycle extends Construct {
  readonly policy: CfnLifecyclePolicy;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: ImageLifecycleProps) {
    super(scope, id);
    this.role = new iam.Role(this, 'ExecutionRole', {
      // Image Builder of this account only (confused deputy). AWS documents no SourceArn for
      // lifecycle policies, so the account is what is pinned.
      assumedBy: new iam.ServicePrincipal('imagebuilder.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(scope).account } },
      }),
      description: `Runs lifecycle policy ${props.name}`,
      managedPolicies: [
        iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/EC2ImageBuilderLifecycleExecutionPolicy'),
      ],
    });
    // @see https://docs.aws.amazon.com/imagebuilder/latest/userguide/security-iam-awsmanpol.html
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/EC2ImageBuilderLifecycleExecutionPolicy]',
      reason:
        "Documented lifecycle execution policy; it only acts on AMIs and snapshots tagged CreatedBy: EC2 Image Builder, and the policy itself selects this pipeline's images by tag.",
    });

    this.policy = new CfnLifecyclePolicy(this, 'Policy', {
      name: props.name,
      description:
        'Deprecates, then deletes, old AMIs of this pipeline; never one tagged as a rollback candidate',
      executionRole: this.role.roleArn,
      resourceType: 'AMI_IMAGE',
      status: 'ENABLED',
      resourceSelection: { tagMap: props.selectByImageTags },
      policyDetails: lifecycleRules(props),
    });
  }
}
