import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';

export interface DefaultVersionProps {
  readonly launchTemplate: ec2.LaunchTemplate;
  /** How long the custom resource provider's logs are kept. */
  readonly logRetention: logs.RetentionDays;
}

/**
 * Keeps the launch template's `$Default` on the version CloudFormation last created, i.e. the
 * current CDK definition. CloudFormation adds a version on every definition change but never
 * moves `$Default`, which would otherwise stay on version 1 forever, and the rollout workflow
 * builds its versions from `$Default`.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-launchtemplate.html
 */
export class DefaultVersion extends Construct {
  constructor(scope: Construct, id: string, props: DefaultVersionProps) {
    super(scope, id);
    const lt = props.launchTemplate;
    const templateArn = Stack.of(this).formatArn({
      service: 'ec2',
      resource: 'launch-template',
      resourceName: lt.launchTemplateId!,
    });
    const call: cr.AwsSdkCall = {
      service: 'EC2',
      action: 'modifyLaunchTemplate',
      // A new number is a new parameter value, so CloudFormation calls this again after each new version.
      parameters: { LaunchTemplateId: lt.launchTemplateId, DefaultVersion: lt.latestVersionNumber },
      physicalResourceId: cr.PhysicalResourceId.of(`${lt.node.id}-default-version`),
    };
    // The provider logs to a group of this stack that its function names (LoggingConfig), so
    // CloudFormation creates the group before the function, and the function before the call.
    // Left to itself the provider gets a group named after the function that nothing orders
    // before the call: the first invocation creates /aws/lambda/<function> itself, and the
    // group's own creation then fails because it already exists.
    // @see https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-advanced.html
    const logGroup = new logs.LogGroup(this, 'ProviderLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    new cr.AwsCustomResource(this, 'Set', {
      onCreate: call,
      onUpdate: call,
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: [templateArn] }),
      installLatestAwsSdk: false,
      logGroup,
    });
    // The provider is a stack-wide singleton named after its UUID.
    const provider = Stack.of(this).node.tryFindChild(
      `AWS${cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`,
    );
    if (provider) {
      Validations.of(provider).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          "CDK's AwsCustomResource provider role: the basic execution policy only lets it write its own " +
          'CloudWatch logs; its API permissions are separate inline policies scoped per call.',
      });
    }
  }
}
