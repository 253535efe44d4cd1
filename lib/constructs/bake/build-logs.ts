import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { logRetentionFor } from '../log-retention';

/** Properties of {@link BuildLogs}. */
export interface BuildLogsProps {
  /** The pipeline's name; the CloudWatch log groups are named after it. */
  readonly pipelineName: string;
  /** Days logs are kept in S3 (CloudWatch keeps them at least as long). */
  readonly retentionDays: number;
}

/**
 * Where a build's logs go: an S3 bucket for the full build output (Image Builder uploads it from
 * the instance) and CloudWatch log groups with a retention, instead of the never-expiring groups
 * Image Builder would otherwise create.
 */
export class BuildLogs extends Construct {
  /** Encrypted, private, TLS-only bucket; objects expire after the retention period. */
  readonly bucket: s3.Bucket;
  /** Key prefix under which build instances upload their logs. */
  readonly prefix = 'builds/';
  /** Log group of each image build (`loggingConfiguration.imageLogGroupName`). */
  readonly imageLogGroup: logs.LogGroup;
  /** Log group of pipeline executions (`loggingConfiguration.pipelineLogGroupName`). */
  readonly pipelineLogGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: BuildLogsProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      // SSE-S3 keeps uploads from build instances free of KMS grants; build logs hold no secrets.
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      lifecycleRules: [
        {
          expiration: Duration.days(props.retentionDays),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      // Build logs are audit evidence: they outlive the stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket only receives Image Builder build logs written by the build instance role; access logging it would need another bucket for little audit value (CloudTrail records the writes).',
    });

    const retention = logRetentionFor(props.retentionDays);
    // Image Builder's instance profile policy may only write to groups under /aws/imagebuilder/.
    // @see https://docs.aws.amazon.com/imagebuilder/latest/userguide/security-iam-awsmanpol.html
    this.imageLogGroup = new logs.LogGroup(this, 'ImageLogs', {
      logGroupName: `/aws/imagebuilder/${props.pipelineName}`,
      retention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.pipelineLogGroup = new logs.LogGroup(this, 'PipelineLogs', {
      logGroupName: `/aws/imagebuilder/pipeline/${props.pipelineName}`,
      retention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
  }

  /** Let `grantee` upload build logs under {@link prefix}, and nothing else. */
  grantUpload(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:PutObject'],
      resourceArns: [this.bucket.arnForObjects(`${this.prefix}*`)],
    });
  }
}
