import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { EnvironmentName } from '../../../lambda/shared/environments';
import { resourcePrefix } from '../../../lambda/shared/names';

export interface RolloutLedgerProps {
  /** The environment whose rollouts are recorded; names the table. */
  readonly environment: EnvironmentName;
  /** Refuse to delete the table (and with it the audit trail) until this is turned off. */
  readonly deletionProtection: boolean;
}

/**
 * The fleet's lock, its record (released image, colours, versions) and the ledger of every
 * rollout, in one DynamoDB table keyed pk/sk (see lambda/ledger/store.ts for the items).
 */
export class RolloutLedger extends Construct {
  readonly table: dynamodb.TableV2;

  constructor(scope: Construct, id: string, props: RolloutLedgerProps) {
    super(scope, id);
    // 'Default' keeps the table's logical id from before the ledger was a construct of its own:
    // CDK leaves it out of the path. A new id would replace the table, which has a fixed name
    // and is retained, so the deploy would fail.
    // @see https://docs.aws.amazon.com/cdk/v2/guide/refactor.html
    this.table = new dynamodb.TableV2(this, 'Default', {
      tableName: `${resourcePrefix(props.environment)}-rollouts`,
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billing: dynamodb.Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.deletionProtection,
      // The ledger is the audit trail: it outlives the stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /** Permits the given item actions (`dynamodb:GetItem`, …) on the table, and nothing else. */
  grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return this.table.grant(grantee, ...actions);
  }
}
