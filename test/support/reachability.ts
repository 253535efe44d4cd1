import type { Template } from 'aws-cdk-lib/assertions';

/**
 * What an instance in a synthesized template can reach over HTTPS, read from the resources that
 * decide it: its subnet's route table (a NAT route, or an internet gateway route with a public
 * address), gateway endpoints on that route table, interface endpoints with private DNS whose
 * security group admits the instance's, and the instance's own security group's egress.
 * Presence is not enough: each path must be complete.
 */

type Resource = { Type: string; Properties?: Record<string, unknown> };
type Resources = Record<string, Resource>;

const refOf = (v: unknown): string | undefined =>
  typeof v === 'object' && v !== null && 'Ref' in v ? String(v.Ref) : undefined;
const groupIdOf = (v: unknown): string | undefined => {
  if (typeof v !== 'object' || v === null) return undefined;
  const att = (v as { 'Fn::GetAtt'?: unknown[] })['Fn::GetAtt'];
  return Array.isArray(att) && att[1] === 'GroupId' ? String(att[0]) : refOf(v);
};
const admits443 = (r: { FromPort?: unknown; ToPort?: unknown; IpProtocol?: unknown }) =>
  r.IpProtocol === '-1' || (Number(r.FromPort) <= 443 && Number(r.ToPort) >= 443);

export interface Reachability {
  /** The subnet's route to the internet, if any: `nat` or `igw` (the latter with a public address). */
  readonly internet?: 'nat' | 'igw';
  /** Whether S3 is reachable (through the internet or a gateway endpoint on the subnet's route table). */
  readonly s3: boolean;
  /** Whether the AWS service (`ssm`, `imagebuilder`, `logs`, …) is reachable over HTTPS. */
  reaches(service: string): boolean;
}

/** What an instance in `subnetLogicalId`, with `securityGroupLogicalId`, can reach over HTTPS. */
export function reachabilityOf(
  template: Template,
  subnetLogicalId: string,
  securityGroupLogicalId: string,
): Reachability {
  const resources = template.toJSON().Resources as Resources;
  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
  const props = (id: string) => resources[id]?.Properties ?? {};

  const routeTables = ofType('AWS::EC2::SubnetRouteTableAssociation')
    .filter(([, r]) => refOf(r.Properties?.SubnetId) === subnetLogicalId)
    .map(([, r]) => refOf(r.Properties?.RouteTableId));
  const routes = ofType('AWS::EC2::Route')
    .map(([, r]) => r.Properties ?? {})
    .filter((r) => routeTables.includes(refOf(r.RouteTableId)) && r.DestinationCidrBlock === '0.0.0.0/0');
  const publicAddress = props(subnetLogicalId).MapPublicIpOnLaunch === true;
  const internet: Reachability['internet'] = routes.some((r) => r.NatGatewayId)
    ? 'nat'
    : routes.some((r) => r.GatewayId) && publicAddress
      ? 'igw'
      : undefined;

  // The instance's egress: inline rules and separate egress resources.
  const inlineEgress = (props(securityGroupLogicalId).SecurityGroupEgress ?? []) as Record<string, unknown>[];
  const separateEgress = ofType('AWS::EC2::SecurityGroupEgress')
    .map(([, r]) => r.Properties ?? {})
    .filter((r) => groupIdOf(r.GroupId) === securityGroupLogicalId);
  const egress = [...inlineEgress, ...separateEgress].filter(admits443);
  const egressAnywhere = egress.some((r) => r.CidrIp === '0.0.0.0/0');
  const egressTo = (sg: string) =>
    egressAnywhere || egress.some((r) => groupIdOf(r.DestinationSecurityGroupId) === sg);

  // `com.amazonaws.<region>.<service>`, the region a literal or `{"Ref":"AWS::Region"}` in a join.
  const endsWith = (serviceName: unknown, suffix: string) =>
    new RegExp(`\\.${suffix}"(\\]\\]\\})?$`).test(JSON.stringify(serviceName));
  const endpoints = ofType('AWS::EC2::VPCEndpoint').map(([, r]) => r.Properties ?? {});
  const s3Gateway = endpoints.some(
    (e) =>
      e.VpcEndpointType === 'Gateway' &&
      endsWith(e.ServiceName, 's3') &&
      ((e.RouteTableIds ?? []) as unknown[]).some((rt) => routeTables.includes(refOf(rt))),
  );

  const ingressAdmits = (endpointSg: string) => {
    const inline = (props(endpointSg).SecurityGroupIngress ?? []) as Record<string, unknown>[];
    const separate = ofType('AWS::EC2::SecurityGroupIngress')
      .map(([, r]) => r.Properties ?? {})
      .filter((r) => groupIdOf(r.GroupId) === endpointSg);
    return [...inline, ...separate].some(
      (r) => admits443(r) && groupIdOf(r.SourceSecurityGroupId) === securityGroupLogicalId,
    );
  };
  const throughEndpoint = (service: string) =>
    endpoints.some(
      (e) =>
        e.VpcEndpointType === 'Interface' &&
        e.PrivateDnsEnabled === true &&
        endsWith(e.ServiceName, service) &&
        ((e.SecurityGroupIds ?? []) as unknown[])
          .map(groupIdOf)
          .some((sg) => sg !== undefined && ingressAdmits(sg) && egressTo(sg)),
    );

  return {
    ...(internet ? { internet } : {}),
    s3: (internet !== undefined && egressAnywhere) || (s3Gateway && egressAnywhere),
    reaches: (service) => (internet !== undefined && egressAnywhere) || throughEndpoint(service),
  };
}
