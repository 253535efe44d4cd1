import { Aws, CfnCondition, CfnMapping, Fn, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import type { Construct } from 'constructs';

/**
 * Who writes a load balancer's access logs into S3. Regions opened before August 2022 deliver
 * from a regional Elastic Load Balancing account; later ones from the
 * `logdelivery.elasticloadbalancing.amazonaws.com` service principal.
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
 *
 * The CDK's `logAccessLogs` needs a concrete region; these stacks are environment-agnostic
 * by default, so the regional account comes from a mapping resolved at deploy time. In a
 * region without one, the account statement falls back to this stack's own account (which
 * already owns the bucket) and the service principal does the delivery.
 */
export function accessLogWriters(scope: Construct): iam.IPrincipal[] {
  const stack = Stack.of(scope);
  const service = new iam.ServicePrincipal('logdelivery.elasticloadbalancing.amazonaws.com');
  if (!Token.isUnresolved(stack.region)) {
    const account = RegionInfo.get(stack.region).elbv2Account;
    return account ? [new iam.AccountPrincipal(account)] : [service];
  }
  const id = 'ElbAccessLogAccounts';
  const existing = stack.node.tryFindChild(id) as CfnMapping | undefined;
  const mapping = existing ?? new CfnMapping(stack, id, { mapping: regionalAccounts(stack) });
  const condition =
    (stack.node.tryFindChild(`${id}Known`) as CfnCondition | undefined) ??
    new CfnCondition(stack, `${id}Known`, {
      expression: Fn.conditionNot(Fn.conditionEquals(mapping.findInMap(Aws.REGION, 'account'), 'none')),
    });
  const root = (account: string) => `arn:${Aws.PARTITION}:iam::${account}:root`;
  const account = Fn.conditionIf(
    condition.logicalId,
    root(mapping.findInMap(Aws.REGION, 'account')),
    root(Aws.ACCOUNT_ID),
  ).toString();
  return [new iam.ArnPrincipal(account), service];
}

function regionalAccounts(stack: Stack): Record<string, Record<string, string>> {
  const partitions = stack.node.tryGetContext('@aws-cdk/core:target-partitions') as string[] | undefined;
  const regions = RegionInfo.regions.filter(
    (r) => !partitions || (r.partition !== undefined && partitions.includes(r.partition)),
  );
  const table: Record<string, Record<string, string>> = {};
  for (const region of regions) {
    table[region.name] = { account: RegionInfo.get(region.name).elbv2Account ?? 'none' };
  }
  return table;
}
