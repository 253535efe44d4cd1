import {
  ENVS,
  allowsAction,
  asArray,
  factoryTemplateOf,
  render,
  resourcesOf,
  roleStatements,
  templateOf,
} from './template-model';
import type { TemplateJson } from './template-model';

/**
 * The CloudWatch agent runs as the fleet's instance role, with the configuration the launch
 * template's user data writes at boot: every log group it ships to must exist in the stack (the
 * role may not create one) and be writable by that role (logs:CreateLogStream, logs:PutLogEvents),
 * and its metrics namespace must be the one the role may publish to (cloudwatch:PutMetricData is
 * scoped by the cloudwatch:namespace condition). One image serves every environment, so the image
 * carries none of this: its agent component names no log group.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/create-iam-roles-for-cloudwatch-agent.html
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html
 */
interface AgentConfiguration {
  readonly metrics?: { namespace?: string };
  readonly logs?: {
    logs_collected?: { files?: { collect_list?: { file_path: string; log_group_name: string }[] } };
  };
}

/** The launch template's user data, decoded (it is a literal: no deploy-time value in it). */
function userDataOf(template: TemplateJson): string {
  const [[, lt] = []] = resourcesOf(template, 'AWS::EC2::LaunchTemplate');
  const encoded = lt?.Properties?.LaunchTemplateData?.UserData as { 'Fn::Base64'?: unknown } | undefined;
  const text = encoded?.['Fn::Base64'];
  if (typeof text !== 'string') return '';
  return text;
}

/** The agent configuration the user data writes, or undefined when it writes none. */
function agentConfigurationOf(template: TemplateJson): AgentConfiguration | undefined {
  const json = /<<'JSON'\n([\s\S]*?)\nJSON\n/.exec(userDataOf(template))?.[1];
  return json === undefined ? undefined : (JSON.parse(json) as AgentConfiguration);
}

function telemetryFindings(template: TemplateJson): string[] {
  const config = agentConfigurationOf(template);
  if (!config) return ['the launch template configures no CloudWatch agent'];
  const findings: string[] = [];
  if (!/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c file:\S+/.test(userDataOf(template)))
    findings.push('the user data does not (re)start the agent with its configuration');
  const groups = [
    ...new Set(asArray(config.logs?.logs_collected?.files?.collect_list).map((f) => f.log_group_name)),
  ];
  const namespace = config.metrics?.namespace;
  const [[, lt] = []] = resourcesOf(template, 'AWS::EC2::LaunchTemplate');
  const profile = (lt?.Properties?.LaunchTemplateData?.IamInstanceProfile?.Arn as { 'Fn::GetAtt': string[] })[
    'Fn::GetAtt'
  ][0] as string;
  const [role] = asArray(template.Resources[profile]?.Properties?.Roles as unknown[]).map((r) =>
    render(r).slice(2, -1),
  );
  const allowed = roleStatements(role as string, template).filter((s) => s.Effect === 'Allow');
  for (const group of groups) {
    const [groupId] = resourcesOf(template, 'AWS::Logs::LogGroup')
      .filter(([, g]) => g.Properties?.LogGroupName === group)
      .map(([id]) => id);
    if (!groupId) findings.push(`the agent ships to ${group}, which the stack does not create`);
    for (const action of ['logs:CreateLogStream', 'logs:PutLogEvents']) {
      const granted = allowed.some(
        (s) => allowsAction(s, action) && asArray(s.Resource).map(render).includes(`\${${groupId}.Arn}`),
      );
      if (!granted) findings.push(`the instance role may not ${action} to ${group}`);
    }
  }
  const publishes = allowed.some(
    (s) =>
      allowsAction(s, 'cloudwatch:PutMetricData') &&
      asArray(s.Condition?.StringEquals?.['cloudwatch:namespace'] as string | string[]).includes(
        namespace as string,
      ),
  );
  if (!publishes) findings.push(`the instance role may not publish metrics to ${namespace}`);
  return findings;
}

/** An environment's own names: its log groups (`/immutable/<env>/…`) and the fleet's metrics namespace. */
const ENVIRONMENT_NAME = new RegExp(`/immutable/(${ENVS.join('|')})/|"CWAgent"`);

/** Where the image names an environment: a log group or namespace of one, in a component or the recipe. */
function environmentInTheImage(template: TemplateJson): string[] {
  const components = resourcesOf(template, 'AWS::ImageBuilder::Component').flatMap(([id, c]) =>
    ENVIRONMENT_NAME.test(String(c.Properties?.Data)) ? [`${id} names an environment's log group`] : [],
  );
  const parameters = resourcesOf(template, 'AWS::ImageBuilder::ImageRecipe').flatMap(([, recipe]) =>
    asArray(recipe.Properties?.Components as { Parameters?: { Name: string; Value: string[] }[] }[])
      .flatMap((c) => asArray(c.Parameters))
      .filter(
        (p) => /LogGroup|Namespace|Environment/.test(p.Name) || p.Value.some((v) => ENVIRONMENT_NAME.test(v)),
      )
      .map((p) => `the recipe passes ${p.Name} ${JSON.stringify(p.Value)}`),
  );
  return [...components, ...parameters];
}

describe("the fleet's CloudWatch agent vs the fleet's instance role", () => {
  it.each(ENVS)(
    "%s: the user data ships to the fleet's log group and namespace, which the instance role may write",
    (env) => {
      const t = templateOf(env);
      const config = agentConfigurationOf(t);
      expect(config?.metrics?.namespace).toBe('CWAgent');
      expect(
        asArray(config?.logs?.logs_collected?.files?.collect_list).map((f) => [
          f.file_path,
          f.log_group_name,
        ]),
      ).toEqual([
        ['/var/log/web/web.log', `/immutable/${env}/fleet`],
        ['/var/log/messages', `/immutable/${env}/fleet`],
        ['/var/log/secure', `/immutable/${env}/fleet`],
        ['/var/log/cloud-init-output.log', `/immutable/${env}/fleet`],
      ]);
      expect(telemetryFindings(t)).toEqual([]);
    },
  );

  it("the image names no environment: one image serves every environment's fleet", () => {
    const t = factoryTemplateOf();
    expect(resourcesOf(t, 'AWS::ImageBuilder::Component').length).toBeGreaterThan(0);
    expect(environmentInTheImage(t)).toEqual([]);
  });

  describe('the checks themselves', () => {
    it('fail when the user data ships to a group or namespace the role cannot write', () => {
      const t = templateOf('dev');
      const [[, lt] = []] = resourcesOf(t, 'AWS::EC2::LaunchTemplate');
      const data = lt?.Properties?.LaunchTemplateData as { UserData: { 'Fn::Base64': string } };
      data.UserData['Fn::Base64'] = data.UserData['Fn::Base64']
        .replaceAll('/immutable/dev/fleet', '/immutable/prod/fleet')
        .replace('"CWAgent"', '"Immutable/Fleet"');
      expect(telemetryFindings(t)).toEqual([
        'the agent ships to /immutable/prod/fleet, which the stack does not create',
        'the instance role may not logs:CreateLogStream to /immutable/prod/fleet',
        'the instance role may not logs:PutLogEvents to /immutable/prod/fleet',
        'the instance role may not publish metrics to Immutable/Fleet',
      ]);
    });

    it('fail when the launch template configures no agent, or never starts it', () => {
      const t = templateOf('dev');
      const [[, lt] = []] = resourcesOf(t, 'AWS::EC2::LaunchTemplate');
      const data = lt?.Properties?.LaunchTemplateData as { UserData: { 'Fn::Base64': string } };
      const original = data.UserData['Fn::Base64'];
      data.UserData['Fn::Base64'] = original.replace(/ -s -c file:/, ' -c file:');
      expect(telemetryFindings(t)).toEqual([
        'the user data does not (re)start the agent with its configuration',
      ]);
      data.UserData['Fn::Base64'] = '#!/bin/bash';
      expect(telemetryFindings(t)).toEqual(['the launch template configures no CloudWatch agent']);
    });

    it('fail when the image carries an environment, as it once did', () => {
      const t = factoryTemplateOf();
      const [[, recipe] = []] = resourcesOf(t, 'AWS::ImageBuilder::ImageRecipe');
      const agent = asArray(
        recipe?.Properties?.Components as { Parameters?: { Name: string; Value: string[] }[] }[],
      ).find((c) => asArray(c.Parameters).some((p) => p.Name === 'AppName' && c.Parameters?.length === 1));
      agent?.Parameters?.push({ Name: 'LogGroupName', Value: ['/immutable/dev/fleet'] });
      expect(environmentInTheImage(t)).toEqual(['the recipe passes LogGroupName ["/immutable/dev/fleet"]']);
    });
  });
});
