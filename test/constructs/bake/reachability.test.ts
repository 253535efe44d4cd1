import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { Template } from 'aws-cdk-lib/assertions';
import { factoryTemplate } from '../../support/templates';
import { reachabilityOf } from '../../support/reachability';
import { bakeStack, factoryStack } from './bake-stack';

/**
 * What a build needs, over HTTPS: the SSM agent's three endpoints (Image Builder runs every step
 * through it), Image Builder itself, CloudWatch Logs, and S3 (build logs, components, the
 * artifact, and the Amazon Linux 2023 package repositories, which are S3 buckets).
 * @see https://docs.aws.amazon.com/imagebuilder/latest/userguide/vpc-interface-endpoints.html
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/setup-create-vpc.html
 */
const NEEDED = ['ssm', 'ssmmessages', 'ec2messages', 'imagebuilder', 'logs'];

/** The build instances' subnet and security group, as the infrastructure configuration names them. */
function buildPlacement(template: Template): { subnet: string; securityGroup: string } {
  const [config] = Object.values(template.findResources('AWS::ImageBuilder::InfrastructureConfiguration'));
  const p = config?.Properties as {
    SubnetId: { Ref: string };
    SecurityGroupIds: { 'Fn::GetAtt': string[] }[];
  };
  return { subnet: p.SubnetId.Ref, securityGroup: p.SecurityGroupIds[0]?.['Fn::GetAtt'][0] ?? '' };
}

const unreachable = (template: Template) => {
  const { subnet, securityGroup } = buildPlacement(template);
  const r = reachabilityOf(template, subnet, securityGroup);
  return [...NEEDED.filter((s) => !r.reaches(s)), ...(r.s3 ? [] : ['s3'])];
};

describe('the build instances reach what a build needs', () => {
  it('without NAT: through interface endpoints that admit them and the S3 gateway on their route table', () => {
    const template = factoryTemplate();
    const { subnet, securityGroup } = buildPlacement(template);
    expect(reachabilityOf(template, subnet, securityGroup).internet).toBeUndefined();
    expect(unreachable(template)).toEqual([]);
  });

  it('with NAT: through the NAT route of their private subnet', () => {
    const { template } = factoryStack((f) => {
      f.network = { kind: 'new', cidr: '10.0.0.0/16', maxAzs: 2, natGateways: 1 };
    });
    const { subnet, securityGroup } = buildPlacement(template);
    expect(reachabilityOf(template, subnet, securityGroup).internet).toBe('nat');
    expect(unreachable(template)).toEqual([]);
  });

  it('a public subnet without NAT reaches nothing: Image Builder gives its instances no public address', () => {
    const { template } = bakeStack({}, (stack) => ({
      vpc: new ec2.Vpc(stack, 'Vpc', {
        maxAzs: 2,
        natGateways: 0,
        subnetConfiguration: [
          { name: 'public', subnetType: ec2.SubnetType.PUBLIC, mapPublicIpOnLaunch: false },
        ],
      }),
      subnetSelection: { subnetType: ec2.SubnetType.PUBLIC },
    }));
    expect(unreachable(template)).toEqual([...NEEDED, 's3']);
  });

  it('an endpoint whose security group does not admit the build instances does not count', () => {
    const { template } = bakeStack({}, (stack) => {
      const vpc = new ec2.Vpc(stack, 'Vpc', {
        maxAzs: 2,
        natGateways: 0,
        subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
      });
      vpc.addInterfaceEndpoint('Ssm', { service: ec2.InterfaceVpcEndpointAwsService.SSM, open: false });
      return { vpc, subnetSelection: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } };
    });
    expect(unreachable(template)).toContain('ssm');
  });
});

describe('the factory network', () => {
  it('has no public subnets when it has no NAT: nothing in it takes traffic from the internet', () => {
    factoryTemplate().resourcePropertiesCountIs('AWS::EC2::Subnet', { MapPublicIpOnLaunch: true }, 0);
    expect(Object.keys(factoryTemplate().findResources('AWS::EC2::InternetGateway'))).toEqual([]);
  });
});
