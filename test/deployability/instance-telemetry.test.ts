import {
  ENVS,
  allowsAction,
  asArray,
  render,
  resourcesOf,
  roleStatements,
  templateOf,
} from './template-model';
import type { TemplateJson } from './template-model';

/**
 * The image's CloudWatch agent runs as the fleet's instance role: every log group it ships to
 * must exist in the stack (the role may not create one) and be writable by that role
 * (logs:CreateLogStream, logs:PutLogEvents), and its metrics namespace must be the one the role
 * may publish to (cloudwatch:PutMetricData is scoped by the cloudwatch:namespace condition).
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/create-iam-roles-for-cloudwatch-agent.html
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html
 */
function agentParameters(template: TemplateJson): Record<string, string> {
  const [[, recipe] = []] = resourcesOf(template, 'AWS::ImageBuilder::ImageRecipe');
  const components = asArray(
    recipe?.Properties?.Components as { Parameters?: { Name: string; Value: string[] }[] }[],
  );
  const agent = components.find((c) => asArray(c.Parameters).some((p) => p.Name === 'LogGroupName'));
  return Object.fromEntries(asArray(agent?.Parameters).map((p) => [p.Name, p.Value[0] as string]));
}

function telemetryFindings(template: TemplateJson): string[] {
  const { LogGroupName: group, MetricsNamespace: namespace } = agentParameters(template);
  if (group === undefined || namespace === undefined) return ['the image has no CloudWatch agent'];
  const [[, lt] = []] = resourcesOf(template, 'AWS::EC2::LaunchTemplate');
  const profile = (lt?.Properties?.LaunchTemplateData?.IamInstanceProfile?.Arn as { 'Fn::GetAtt': string[] })[
    'Fn::GetAtt'
  ][0] as string;
  const [role] = asArray(template.Resources[profile]?.Properties?.Roles as unknown[]).map((r) =>
    render(r).slice(2, -1),
  );
  const allowed = roleStatements(role as string, template).filter((s) => s.Effect === 'Allow');
  const [groupId] = resourcesOf(template, 'AWS::Logs::LogGroup')
    .filter(([, g]) => g.Properties?.LogGroupName === group)
    .map(([id]) => id);
  const findings: string[] = [];
  if (!groupId) findings.push(`the agent ships to ${group}, which the stack does not create`);
  for (const action of ['logs:CreateLogStream', 'logs:PutLogEvents']) {
    const granted = allowed.some(
      (s) => allowsAction(s, action) && asArray(s.Resource).map(render).includes(`\${${groupId}.Arn}`),
    );
    if (!granted) findings.push(`the instance role may not ${action} to ${group}`);
  }
  const publishes = allowed.some(
    (s) =>
      allowsAction(s, 'cloudwatch:PutMetricData') &&
      asArray(s.Condition?.StringEquals?.['cloudwatch:namespace'] as string | string[]).includes(namespace),
  );
  if (!publishes) findings.push(`the instance role may not publish metrics to ${namespace}`);
  return findings;
}

describe("the image's CloudWatch agent vs the fleet's instance role", () => {
  it.each(ENVS)(
    '%s: the agent ships to the fleet log group and namespace, which the instance role may write',
    (env) => {
      const t = templateOf(env);
      expect(agentParameters(t)).toEqual({
        AppName: 'web',
        LogGroupName: `/immutable/${env}/fleet`,
        MetricsNamespace: 'CWAgent',
      });
      expect(telemetryFindings(t)).toEqual([]);
    },
  );

  describe('the check itself', () => {
    it('fails when the image ships to a group or namespace the role cannot write', () => {
      const t = templateOf('dev');
      const [[, recipe] = []] = resourcesOf(t, 'AWS::ImageBuilder::ImageRecipe');
      for (const c of recipe?.Properties?.Components as {
        Parameters?: { Name: string; Value: string[] }[];
      }[])
        for (const p of c.Parameters ?? []) {
          if (p.Name === 'LogGroupName') p.Value = ['/immutable/prod/fleet'];
          if (p.Name === 'MetricsNamespace') p.Value = ['Immutable/Fleet'];
        }
      expect(telemetryFindings(t)).toEqual([
        'the agent ships to /immutable/prod/fleet, which the stack does not create',
        'the instance role may not logs:CreateLogStream to /immutable/prod/fleet',
        'the instance role may not logs:PutLogEvents to /immutable/prod/fleet',
        'the instance role may not publish metrics to Immutable/Fleet',
      ]);
    });
  });
});
