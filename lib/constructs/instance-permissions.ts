import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * AmazonSSMManagedInstanceCore allows ssm:GetParameter(s) on every parameter of the account; an
 * instance needs only public AWS parameters and its own environment's. The deny bounds the
 * managed policy without copying it (a copy would fall behind agent changes).
 * @see https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonSSMManagedInstanceCore.html
 */
export function denyOtherParameters(role: iam.Role, ownPrefixes: readonly string[]): void {
  const stack = Stack.of(role);
  const parameter = (path: string) =>
    stack.formatArn({ service: 'ssm', region: '*', resource: 'parameter', resourceName: path });
  role.addToPolicy(
    new iam.PolicyStatement({
      effect: iam.Effect.DENY,
      actions: [
        'ssm:GetParameter',
        'ssm:GetParameters',
        'ssm:GetParametersByPath',
        'ssm:GetParameterHistory',
      ],
      notResources: [
        stack.formatArn({
          service: 'ssm',
          region: '*',
          account: '',
          resource: 'parameter',
          resourceName: 'aws/service/*',
        }),
        ...ownPrefixes.map((p) => parameter(p.replace(/^\//, ''))),
      ],
    }),
  );
}
