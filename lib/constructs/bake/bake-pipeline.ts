import { Aws, Stack, Validations } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CfnDistributionConfiguration, CfnImagePipeline } from 'aws-cdk-lib/aws-imagebuilder';
import { Construct } from 'constructs';
import { AMI_TAGS, keepTag } from '../../../lambda/shared/tags';
import { imageFactoryNames } from '../../../lambda/shared/names';
import { validateBakePipelineProps } from './bake-pipeline-props';
import type { BakePipelineProps } from './bake-pipeline-props';
import { BuildInfrastructure } from './build-infrastructure';
import { BuildLogs } from './build-logs';
import { FINGERPRINT_SEPARATOR, assertImageBuilderName } from './content-name';
import { ImageLifecycle } from './image-lifecycle';
import { BakeRecipe } from './image-recipe';
import { BakeNotificationTopic } from './notification-topic';
import type { Severity } from '../../../lambda/shared/severities';

/**
 * The image factory's EC2 Image Builder pipeline: bakes a hardened AMI with the application on a
 * schedule, tests it on a fresh instance, keeps its Amazon Inspector findings (which each
 * environment gates on), tags it with its lineage, distributes it to every environment's account
 * and region, publishes its id to SSM and retires old AMIs, never one an environment has
 * released, may roll back to, or runs.
 *
 * Built from the CloudFormation (L1) Image Builder resources: the L2 library is alpha and not a
 * dependency of this application.
 */
export class BakePipeline extends Construct {
  /**
   * ARN pattern matching every image this pipeline builds, with any recipe fingerprint, version
   * and build number: for IAM resources and EventBridge `wildcard` filters.
   */
  readonly imageArnPattern: string;
  /**
   * Lowest Inspector severity that disqualifies an image. Image Builder keeps the findings and
   * fails no image on them: consumers (the environments' image trigger) refuse an image whose
   * findings reach it, whatever their fix status.
   */
  readonly scanGateSeverity: Severity;
  /** The pipeline's name (`immutable-<app>`). */
  readonly pipelineName: string;
  /** The pipeline's ARN. */
  readonly pipelineArn: string;
  /**
   * Where Image Builder announces each image (AVAILABLE or FAILED), KMS-encrypted; the factory's
   * alarms (named `<pipeline>-…`) publish here too.
   */
  readonly topic: BakeNotificationTopic['topic'];
  /** The build and test instances' security group, when the pipeline builds in a given VPC. */
  readonly buildSecurityGroup?: ec2.ISecurityGroup;

  constructor(scope: Construct, id: string, props: BakePipelineProps) {
    super(scope, id);
    validateBakePipelineProps(props);
    const names = imageFactoryNames(props.app.name);
    const pipelineName = names.pipeline;
    this.pipelineName = pipelineName;
    assertImageBuilderName(pipelineName);
    const bakedImageParameterName = names.bakedImageParameter;
    this.scanGateSeverity = props.scan.failOnSeverity;

    const notifications = new BakeNotificationTopic(this, 'Notifications', {
      displayName: `Image Builder ${pipelineName}`,
      emails: props.notificationEmails,
      alarmNamePattern: `${pipelineName}-*`,
    });
    this.topic = notifications.topic;
    const logs = new BuildLogs(this, 'Logs', {
      pipelineName,
      retentionDays: props.logRetentionDays,
    });

    const recipe = new BakeRecipe(this, 'Recipe', {
      namePrefix: pipelineName,
      recipeVersion: props.recipeVersion,
      parentImage: props.parentImage,
      rootVolumeGiB: props.rootVolumeGiB,
      app: props.app,
    });
    // Image ARNs are named after the recipe, in lower case: .../image/<recipe>/<version>/<build>.
    this.imageArnPattern = Stack.of(this).formatArn({
      service: 'imagebuilder',
      resource: 'image',
      resourceName: `${pipelineName}${FINGERPRINT_SEPARATOR}*`,
    });

    const infrastructure = new BuildInfrastructure(this, 'Infrastructure', {
      name: `${pipelineName}-build`,
      instanceTypes: props.instanceTypes,
      logs,
      topic: notifications.topic,
      instanceTags: { Name: `${pipelineName}-build`, [AMI_TAGS.pipeline]: pipelineName },
      artifactUri: props.app.artifactUri,
      vpc: props.vpc,
      subnetSelection: props.subnetSelection,
    });
    this.buildSecurityGroup = infrastructure.securityGroup;

    const amiDistribution = (accountIds: readonly string[]) => ({
      // Untyped in the L1 (any), so written in CloudFormation's own casing.
      Name: `${pipelineName}-${props.recipeVersion}-{{ imagebuilder:buildDate }}`,
      Description: `${props.app.name} ${props.app.version} baked by ${pipelineName}`,
      AmiTags: {
        [AMI_TAGS.pipeline]: pipelineName,
        [AMI_TAGS.recipe]: recipe.recipeName,
        [AMI_TAGS.recipeVersion]: props.recipeVersion,
        [AMI_TAGS.sourceRevision]: props.sourceRevision,
      },
      // Other accounts launch the factory's AMI (they never own a copy): launch permission only.
      // @see https://docs.aws.amazon.com/imagebuilder/latest/userguide/cr-upd-ami-distribution-settings.html
      ...(accountIds.length ? { LaunchPermissionConfiguration: { UserIds: [...accountIds] } } : {}),
    });
    const home = props.distribution?.find((t) => t.region === Stack.of(this).region);
    const distribution = new CfnDistributionConfiguration(this, 'Distribution', {
      name: `${pipelineName}-distribution`,
      description: `AMIs of ${pipelineName}, with lineage tags, to every environment's account and region`,
      distributions: [
        {
          region: Aws.REGION,
          amiDistributionConfiguration: amiDistribution(home?.accountIds ?? []),
          // @see https://docs.aws.amazon.com/imagebuilder/latest/userguide/cr-upd-ami-distribution-settings.html
          ssmParameterConfigurations: [{ parameterName: bakedImageParameterName, dataType: 'aws:ec2:image' }],
        },
        // A copy in each other region an environment runs in, launchable by that region's accounts.
        ...(props.distribution ?? [])
          .filter((t) => t !== home)
          .map((t) => ({ region: t.region, amiDistributionConfiguration: amiDistribution(t.accountIds) })),
      ],
    });

    const executionRole = this.executionRole({
      pipelineName,
      bakedImageParameterName,
      notifications,
      infrastructure,
    });
    // Images carry this tag so the lifecycle policy can select exactly this pipeline's images.
    const imageTags = { [AMI_TAGS.pipeline]: pipelineName };
    const pipeline = new CfnImagePipeline(this, 'Pipeline', {
      name: pipelineName,
      description: `Bakes ${props.app.name} images for every environment`,
      imageRecipeArn: recipe.recipeArn,
      infrastructureConfigurationArn: infrastructure.configuration.attrArn,
      distributionConfigurationArn: distribution.attrArn,
      executionRole: executionRole.roleArn,
      status: 'ENABLED',
      enhancedImageMetadataEnabled: true,
      imageTestsConfiguration: { imageTestsEnabled: true },
      // Keeps a snapshot of the Amazon Inspector findings for each image; Inspector scans the
      // build and test instances once EC2 scanning is activated in the account. This is the whole
      // of ImageScanningConfiguration in the CloudFormation template reference (the synth's
      // schema knows no ImageScanningTypes or ScanResultCondition), and Image Builder fails no
      // image on findings by itself: announce-image sends the findings with each Image
      // Available, and the environment that takes the factory's images counts them against
      // scan.failOnSeverity in its image trigger and refuses an image that reaches it.
      // @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-imagebuilder-imagepipeline-imagescanningconfiguration.html
      // @see https://docs.aws.amazon.com/imagebuilder/latest/userguide/integ-inspector.html
      imageScanningConfiguration: { imageScanningEnabled: true },
      schedule: {
        scheduleExpression: props.schedule.cron,
        timezone: props.schedule.timezone,
        pipelineExecutionStartCondition: props.schedule.onlyWhenDependenciesUpdated
          ? 'EXPRESSION_MATCH_AND_DEPENDENCY_UPDATES_AVAILABLE'
          : 'EXPRESSION_MATCH_ONLY',
      },
      imageTags,
      loggingConfiguration: {
        imageLogGroupName: logs.imageLogGroup.logGroupName,
        pipelineLogGroupName: logs.pipelineLogGroup.logGroupName,
      },
    });
    this.pipelineArn = pipeline.attrArn;

    new ImageLifecycle(this, 'Lifecycle', {
      name: `${pipelineName}-amis`,
      selectByImageTags: imageTags,
      deprecateAfterDays: props.lifecycle.deprecateAfterDays,
      deleteAfterDays: props.lifecycle.deleteAfterDays,
      keepAtLeast: props.lifecycle.keepAtLeast,
      // Any environment's keep tag protects an AMI (exclusion tag maps match on any tag).
      protectedAmiTags: Object.fromEntries(props.protectedEnvironments.map((e) => [keepTag(e), 'true'])),
    });
  }

  /**
   * The role Image Builder assumes to run this pipeline. Its service-linked role may only write
   * SSM parameters under /imagebuilder/, so publishing the AMI id to the product's parameter
   * needs this role with ssm:PutParameter on that one parameter.
   * @see https://docs.aws.amazon.com/imagebuilder/latest/userguide/cr-upd-ami-distribution-settings.html#ami-distribution-prereqs-ssm-param
   */
  private executionRole(p: {
    readonly pipelineName: string;
    readonly bakedImageParameterName: string;
    readonly notifications: BakeNotificationTopic;
    readonly infrastructure: BuildInfrastructure;
  }): iam.Role {
    const { pipelineName, bakedImageParameterName, notifications, infrastructure } = p;
    const stack = Stack.of(this);
    const role = new iam.Role(this, 'ExecutionRole', {
      assumedBy: new iam.ServicePrincipal('imagebuilder.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      description: `Image Builder runs ${pipelineName} as this role`,
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('EC2ImageBuilderExecutionPolicy')],
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/EC2ImageBuilderExecutionPolicy]',
      reason:
        'Baseline permissions Image Builder documents for a pipeline execution role (launch, image, test, distribute); AWS keeps them in step with the service. Product-specific rights are added inline and scoped.',
    });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ssm:PutParameter'],
        resources: [
          stack.formatArn({
            service: 'ssm',
            resource: 'parameter',
            resourceName: bakedImageParameterName.slice(1),
          }),
        ],
      }),
    );
    // SSM validates an aws:ec2:image parameter by describing the AMI as the caller.
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['ec2:DescribeImages'], resources: ['*'] }));
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ec2:DescribeImages supports no resource-level permissions; it is read-only.',
    });
    infrastructure.role.grantPassRole(role);
    // Whichever of this role or the service-linked role publishes, it can reach the topic.
    iam.Grant.addToPrincipal({
      grantee: role,
      actions: ['sns:Publish'],
      resourceArns: [notifications.topic.topicArn],
    });
    notifications.key.grant(role, 'kms:Decrypt', 'kms:GenerateDataKey');
    return role;
  }
}
