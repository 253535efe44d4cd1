import { Stack, Validations } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** How cdk-nag prints a resolved value: a Ref as <Name>, a GetAtt as <Id.Attr>, joins concatenated. */
function nagString(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as { Ref?: string; 'Fn::GetAtt'?: string[]; 'Fn::Join'?: [string, unknown[]] };
  if (v.Ref) return `<${v.Ref}>`;
  if (v['Fn::GetAtt']) return `<${v['Fn::GetAtt'].join('.')}>`;
  if (v['Fn::Join']) return v['Fn::Join'][1].map(nagString).join(v['Fn::Join'][0]);
  throw new Error(`cannot name ${JSON.stringify(value)} for cdk-nag`);
}

/**
 * Acknowledges, on the grantee's role, the one cdk-nag finding (AwsSolutions-IAM5) that a
 * wildcard in `resourceArn` raises, with the reason IAM leaves no narrower choice. A grantee
 * that is not a construct (a service principal) carries no policy cdk-nag could flag.
 */
export function acknowledgeWildcardResource(
  grantee: iam.IGrantable,
  resourceArn: string,
  reason: string,
): void {
  const principal = grantee.grantPrincipal;
  if (!Construct.isConstruct(principal)) return;
  const resource = nagString(Stack.of(principal).resolve(resourceArn));
  Validations.of(principal).acknowledge({ id: `AwsSolutions-IAM5[Resource::${resource}]`, reason });
}
