import {
  ENVS,
  allowsAction,
  asArray,
  globMatches,
  render,
  resourcesOf,
  roleStatements,
  templateOf,
} from './template-model';
import type { Statement, TemplateJson } from './template-model';

/**
 * Auto Scaling checks the caller's own rights against a launch template it is handed: RunInstances
 * always; CreateTags on create when the template has tag specifications ("This policy is needed if
 * there are tags specified in the launch template"); iam:PassRole when it has an instance profile.
 * CreateAutoScalingGroup and UpdateAutoScalingGroup with a template are checked so; an instance
 * refresh with a desired configuration hands over a template too.
 * @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-launch-template-permissions.html
 * @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/ts-as-launch-template.html
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2autoscaling.html
 */

/** What a launch of the fleet's launch template needs beyond RunInstances. */
interface LaunchNeeds {
  readonly template: string;
  /** Resource types the template's tag specifications tag at launch. */
  readonly tagged: string[];
  /** Roles of the template's instance profile, as `${Id.Arn}`. */
  readonly passedRoles: string[];
}

function launchNeeds(template: TemplateJson): LaunchNeeds[] {
  return resourcesOf(template, 'AWS::EC2::LaunchTemplate').map(([id, lt]) => {
    const data = lt.Properties?.LaunchTemplateData ?? {};
    const profile = (data.IamInstanceProfile?.Arn as { 'Fn::GetAtt'?: string[] } | undefined)?.[
      'Fn::GetAtt'
    ]?.[0];
    const roles = asArray(template.Resources[profile ?? '']?.Properties?.Roles as unknown[]).map(
      (r) => `\${${render(r).slice(2, -1)}.Arn}`,
    );
    return {
      template: id,
      tagged: asArray(data.TagSpecifications as { ResourceType: string }[]).map((t) => t.ResourceType),
      passedRoles: roles,
    };
  });
}

/** Roles that hand Auto Scaling a launch template: they may create a group or start a refresh, or update a group and launch. */
function handingOverRoles(template: TemplateJson): [string, Statement[]][] {
  return resourcesOf(template, 'AWS::IAM::Role').flatMap(([id]): [string, Statement[]][] => {
    const allowed = roleStatements(id, template).filter((s) => s.Effect === 'Allow');
    const may = (action: string) => allowed.some((s) => allowsAction(s, action));
    const hands =
      may('autoscaling:CreateAutoScalingGroup') ||
      may('autoscaling:StartInstanceRefresh') ||
      (may('autoscaling:UpdateAutoScalingGroup') && may('ec2:RunInstances'));
    return hands ? [[id, allowed]] : [];
  });
}

/** A role's logical id without the hash CDK appends (the role is what the test names). */
const withoutHash = (text: string) => text.replace(/role[0-9A-F]{8}\b/, 'role');
const covers = (s: Statement, arn: string) =>
  asArray(s.Resource)
    .map(render)
    .some((r) => globMatches(r, arn));
const ec2Arn = (type: string) =>
  `arn:\${AWS::Partition}:ec2:\${AWS::Region}:\${AWS::AccountId}:${type}/i-0123456789abcdef0`;

function launchFindings(template: TemplateJson): string[] {
  const needs = launchNeeds(template);
  return handingOverRoles(template).flatMap(([role, allowed]) =>
    needs.flatMap((n) => [
      ...n.tagged
        .filter(
          (type) =>
            !allowed.some(
              (s) =>
                allowsAction(s, 'ec2:CreateTags') &&
                covers(s, ec2Arn(type)) &&
                asArray(s.Condition?.StringEquals?.['ec2:CreateAction'] as string[] | string).includes(
                  'RunInstances',
                ),
            ),
        )
        .map((type) => `${role}: may hand over ${n.template} but not tag the ${type} it launches`),
      ...n.passedRoles
        .filter(
          (r) =>
            !allowed.some(
              (s) => allowsAction(s, 'iam:PassRole') && asArray(s.Resource).map(render).includes(r),
            ),
        )
        .map((r) => `${role}: may hand over ${n.template} but not pass its instance role ${r}`),
    ]),
  );
}

describe('roles that hand Auto Scaling the tagged launch template', () => {
  it.each(ENVS)(
    '%s: the template tags instances and volumes, and the two launching functions hand it over',
    (env) => {
      const t = templateOf(env);
      expect(launchNeeds(t).map((n) => n.tagged)).toEqual([['instance', 'volume']]);
      expect(
        handingOverRoles(t)
          .map(([id]) => withoutHash(id))
          .sort(),
      ).toEqual(['RolloutFunctionspreparecanaryrole', 'RolloutFunctionsstartrefreshrole']);
    },
  );

  it.each(ENVS)(
    '%s: each may tag what the launch creates, on create only, and pass the instance role',
    (env) => {
      expect(launchFindings(templateOf(env))).toEqual([]);
    },
  );

  describe('the check itself', () => {
    it('fails on the roles as they were: no ec2:CreateTags', () => {
      const t = templateOf('dev');
      for (const [, policy] of resourcesOf(t, 'AWS::IAM::Policy')) {
        const doc = policy.Properties?.PolicyDocument as { Statement: Statement[] };
        doc.Statement = doc.Statement.filter(
          (s) => !(allowsAction(s, 'ec2:CreateTags') && covers(s, ec2Arn('instance'))),
        );
      }
      expect(launchFindings(t).map(withoutHash).sort()).toEqual(
        ['RolloutFunctionspreparecanaryrole', 'RolloutFunctionsstartrefreshrole'].flatMap((role) =>
          ['instance', 'volume'].map(
            (type) =>
              `${role}: may hand over FleetGroupsLaunchTemplate29F4F0B0 but not tag the ${type} it launches`,
          ),
        ),
      );
    });

    it('fails when CreateTags is not limited to launches', () => {
      const t = templateOf('dev');
      for (const [, policy] of resourcesOf(t, 'AWS::IAM::Policy'))
        for (const s of (policy.Properties?.PolicyDocument as { Statement: Statement[] }).Statement)
          if (s.Condition?.StringEquals?.['ec2:CreateAction'])
            delete (s.Condition as Record<string, unknown>).StringEquals;
      expect(launchFindings(t)).toHaveLength(4);
    });

    it('fails when the template starts tagging network interfaces too', () => {
      const t = templateOf('dev');
      const [, lt] = resourcesOf(t, 'AWS::EC2::LaunchTemplate')[0] ?? [];
      (lt?.Properties?.LaunchTemplateData.TagSpecifications as unknown[]).push({
        ResourceType: 'network-interface',
        Tags: [],
      });
      expect(launchFindings(t).map(withoutHash).sort()).toEqual(
        ['RolloutFunctionspreparecanaryrole', 'RolloutFunctionsstartrefreshrole'].map(
          (role) =>
            `${role}: may hand over FleetGroupsLaunchTemplate29F4F0B0 but not tag the network-interface it launches`,
        ),
      );
    });
  });
});
