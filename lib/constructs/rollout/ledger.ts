import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { EnvironmentName } from '../../../lambda/shared/environments';

export interface RolloutLedgerProps {
  /** The environment whose rollouts are recorded. */
  readonly environment: EnvironmentName;
  /** Refuse to delete the table (and with it the audit trail) until this is turned off. */
  readonly deletionProtection: boolean;
}

/**
 * The fleet's lock, its record (released image, colours, versions) and the ledger of every
 * rollout, in one DynamoDB table keyed pk/sk (see lambda/ledger/store.ts for the items).
 *
 * The table has no fixed name, and CloudFormation keeps it when the stack is deleted or the table
 * replaced, but deletes it when the create that made it rolls back
 * (RetainExceptOnCreate): a failed first deploy leaves nothing behind to collide with or litter
 * the account, and a teardown keeps the audit trail. A re-created stack gets a table of its own:
 * the retained one describes a fleet that no longer exists (versions of a deleted launch
 * template), and the first rollout builds the new record from the runtime parameters, which the
 * seed repairs. The stack output LedgerTableName names the table for operators and tools.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html
 */
export class RolloutLedger extends Construct {
  readonly table: dynamodb.TableV2;

  constructor(scope: Construct, id: string, props: RolloutLedgerProps) {
    super(scope, id);
    // 'Default' keeps the table's logical id from before the ledger was a construct of its own:
    // CDK leaves it out of the path. A new id would replace the table.
    // @see https://docs.aws.amazon.com/cdk/v2/guide/refactor.html
    this.table = new dynamodb.TableV2(this, 'Default', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billing: dynamodb.Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.deletionProtection,
      // The ledger is the audit trail: it outlives the stack, but not a create that failed.
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
  }

  /** Permits the given item actions (`dynamodb:GetItem`, …) on the table, and nothing else. */
  grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return this.table.grant(grantee, ...actions);
  }
}
