import { Match } from 'aws-cdk-lib/assertions';
import type { Template } from 'aws-cdk-lib/assertions';
import { productTemplate } from '../../support/templates';

const ENVS = ['dev', 'staging', 'prod'] as const;

/** The interactive-access function's logical id and its role's policy statements. */
function accessFunction(t: Template) {
  const fns = t.findResources('AWS::Lambda::Function', {
    Properties: { Environment: { Variables: { ON_INTERACTIVE_ACCESS: Match.anyValue() } } },
  });
  const [id, fn] = Object.entries(fns)[0] ?? [];
  const roleId = (fn as any)?.Properties.Role['Fn::GetAtt'][0] as string;
  const statements = Object.values(
    t.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } }),
  ).flatMap((p: any) => p.Properties.PolicyDocument.Statement as any[]);
  return { id: id as string, fn: fn as any, statements };
}

const actionsOf = (s: any): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);

describe('interactive access rule', () => {
  it.each(ENVS)('%s: matches the CloudTrail records of the three interactive-access calls', (env) => {
    const t = productTemplate(env);
    const { id } = accessFunction(t);
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.ssm', 'aws.ec2-instance-connect'],
        'detail-type': ['AWS API Call via CloudTrail'],
        detail: {
          eventSource: ['ssm.amazonaws.com', 'ec2-instance-connect.amazonaws.com'],
          eventName: ['StartSession', 'SendCommand', 'SendSSHPublicKey'],
        },
      },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [id, 'Arn'] },
          DeadLetterConfig: Match.objectLike({ Arn: Match.anyValue() }),
          RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 8 }),
        }),
      ],
    });
  });

  it.each([
    ['dev', 'alert'],
    ['staging', 'replace'],
    ['prod', 'replace'],
  ] as const)('%s: the function applies fleet.onInteractiveAccess %s', (env, policy) => {
    expect(accessFunction(productTemplate(env)).fn.Properties.Environment.Variables).toMatchObject({
      ENVIRONMENT: env,
      ON_INTERACTIVE_ACCESS: policy,
    });
  });
});

describe('interactive access permissions', () => {
  it.each(ENVS)('%s: tags only the taint key, only on instances of its own environment', (env) => {
    const tagging = accessFunction(productTemplate(env)).statements.filter((s) =>
      actionsOf(s).includes('ec2:CreateTags'),
    );
    expect(tagging).toHaveLength(1);
    expect(tagging[0].Condition).toEqual({
      StringEquals: { 'aws:ResourceTag/immutable:environment': env },
      'ForAllValues:StringEquals': { 'aws:TagKeys': ['immutable:tainted'] },
    });
  });

  it('starts the workflow only where it replaces', () => {
    const starts = (env: (typeof ENVS)[number]) =>
      accessFunction(productTemplate(env)).statements.some((s) =>
        actionsOf(s).includes('states:StartExecution'),
      );
    expect({ dev: starts('dev'), staging: starts('staging'), prod: starts('prod') }).toEqual({
      dev: false,
      staging: true,
      prod: true,
    });
  });

  it.each(ENVS)('%s: neither detaches nor terminates anything itself', (env) => {
    const actions = accessFunction(productTemplate(env)).statements.flatMap(actionsOf);
    expect(actions).not.toEqual(expect.arrayContaining(['ec2:TerminateInstances']));
    expect(actions).not.toEqual(expect.arrayContaining(['autoscaling:DetachInstances']));
  });
});
