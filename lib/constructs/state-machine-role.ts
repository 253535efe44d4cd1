import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/**
 * The execution role of the state machine named `stateMachineName`, trusted by Step Functions
 * for that one state machine of this account only (CDK's default trusts any of the account's
 * state machines: `stateMachine:*`). The name is fixed, so the ARN is known before the state
 * machine exists. Created in the state machine's parent as `Role`, the logical id CDK gave the
 * default role stays the same.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/procedure-create-iam-role.html#prevent-cross-service-confused-deputy
 */
export function pinnedStateMachineRole(scope: Construct, stateMachineName: string): iam.Role {
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
