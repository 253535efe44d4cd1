import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';

export interface ProductStateMachineProps {
  /** The fixed name: the role's trust names it before the state machine exists. */
  readonly stateMachineName: string;
  readonly definitionBody: sfn.DefinitionBody;
  readonly timeout: Duration;
  readonly logRetention: logs.RetentionDays;
  /** Keep the execution logs when the stack is deleted (the audit trail of a production fleet). */
  readonly retainLogs: boolean;
  readonly comment: string;
}

/**
 * A standard state machine as the product runs each of its own (in `scope` as `Default`, so its
 * logical id is its parent's): its pinned role, X-Ray, and every execution's full history in the
 * log group `ExecutionLogs`.
 */
export function productStateMachine(scope: Construct, props: ProductStateMachineProps): sfn.StateMachine {
  return new sfn.StateMachine(scope, 'Default', {
    stateMachineName: props.stateMachineName,
    role: pinnedStateMachineRole(scope, props.stateMachineName),
    stateMachineType: sfn.StateMachineType.STANDARD,
    definitionBody: props.definitionBody,
    timeout: props.timeout,
    tracingEnabled: true,
    logs: {
      destination: new logs.LogGroup(scope, 'ExecutionLogs', {
        retention: props.logRetention,
        removalPolicy: props.retainLogs ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      }),
      level: sfn.LogLevel.ALL,
      includeExecutionData: true,
    },
    comment: props.comment,
  });
}

/**
 * The execution role of the state machine named `stateMachineName`, trusted by Step Functions
 * for that one state machine of this account only (CDK's default trusts any of the account's
 * state machines: `stateMachine:*`). The name is fixed, so the ARN is known before the state
 * machine exists. Created in the state machine's parent as `Role`, the logical id CDK gave the
 * default role stays the same.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/procedure-create-iam-role.html#prevent-cross-service-confused-deputy
 */
function pinnedStateMachineRole(scope: Construct, stateMachineName: string): iam.Role {
  const stack = Stack.of(scope);
  return new iam.Role(scope, 'Role', {
    assumedBy: new iam.ServicePrincipal('states.amazonaws.com', {
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnEquals: {
          'aws:SourceArn': stack.formatArn({
            service: 'states',
            resource: 'stateMachine',
            resourceName: stateMachineName,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        },
      },
    }),
  });
}
