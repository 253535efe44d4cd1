import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';

/** What operating an environment needs from its rollout workflow (RolloutWorkflow provides it). */
export interface OperatedWorkflow {
  readonly stateMachine: sfn.IStateMachine;
  /** The lock, the fleet record and the ledger. */
  readonly table: dynamodb.ITableV2;
  /** The notification topic (KMS-encrypted: publishing needs grantPublish). */
  readonly topic: sns.ITopic;
  /** Where triggers that could not be handled go. */
  readonly deadLetters: sqs.IQueue;
  /** Permits publishing to the notification topic, its key included. */
  grantPublish(grantee: iam.IGrantable): iam.Grant;
}
