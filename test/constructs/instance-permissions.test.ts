import type { Template } from 'aws-cdk-lib/assertions';
import { factoryTemplate, productTemplate } from '../support/templates';

/**
 * AmazonSSMManagedInstanceCore lets an instance read every SSM parameter of the account; the
 * build and fleet roles that carry it deny every parameter but AWS's public ones and their own
 * environment's.
 */
const denies = (template: Template, roleLogicalIdPrefix: string) =>
  Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(roleLogicalIdPrefix))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Record<string, unknown>[])
    .filter((s) => s.Effect === 'Deny');

const arn = (region: string, account: string, path: string) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ssm:${region}:${account}:parameter/${path}`]],
});
const arnIn = (path: string) => ({
  'Fn::Join': [
    '',
    ['arn:', { Ref: 'AWS::Partition' }, ':ssm:*:', { Ref: 'AWS::AccountId' }, `:parameter/${path}`],
  ],
});
// as CDK renders them: sorted
const READS = ['ssm:GetParameter', 'ssm:GetParameterHistory', 'ssm:GetParameters', 'ssm:GetParametersByPath'];

describe('instances read only the parameters they need', () => {
  it('build instances: AWS public parameters only', () => {
    expect(denies(factoryTemplate(), 'BakeInfrastructureInstanceRole')).toEqual([
      { Effect: 'Deny', Action: READS, NotResource: arn('*', '', 'aws/service/*') },
    ]);
  });

  it.each(['dev', 'staging'] as const)(
    '%s fleet (Session Manager on): AWS public parameters and its own environment',
    (env) => {
      expect(denies(productTemplate(env), 'FleetGroupsInstanceRole')).toEqual([
        {
          Effect: 'Deny',
          Action: READS,
          NotResource: [arn('*', '', 'aws/service/*'), arnIn(`immutable/${env}/*`)],
        },
      ]);
    },
  );

  it('prod fleet (Session Manager off) has no SSM policy to bound', () => {
    expect(denies(productTemplate('prod'), 'FleetGroupsInstanceRole')).toEqual([]);
  });
});
