import type { EnvironmentConfig, ImageFactoryConfig } from '../../lib/config';
import { logRetentionFor } from '../../lib/constructs/log-retention';
import { configOf, factoryConfig, testApp } from '../support/synth';
import {
  ENVS,
  STACKS,
  createdBefore,
  factoryTemplateOf,
  render,
  resourcesOf,
  stackTemplateOf,
  templateOf,
} from './template-model';
import type { TemplateJson } from './template-model';

/**
 * Where each log group's retention comes from: every group of an environment's stack keeps the
 * environment's fleet.logRetentionDays; every group of the image factory's (Image Builder's
 * /aws/imagebuilder/ groups, its network's and its functions') keeps imageFactory.logRetentionDays,
 * as CloudWatch Logs rounds it up. A group without a retention never expires.
 * @see https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html
 */
function retentionFindings(template: TemplateJson, expected: number, field: string): string[] {
  return resourcesOf(template, 'AWS::Logs::LogGroup').flatMap(([id, group]) => {
    const actual = group.Properties?.RetentionInDays as number | undefined;
    return actual === expected ? [] : [`${id} keeps ${actual ?? 'forever'} days, not ${field} (${expected})`];
  });
}

const environmentFindings = (template: TemplateJson, config: EnvironmentConfig) =>
  retentionFindings(template, config.fleet.logRetentionDays, 'fleet.logRetentionDays');
const factoryFindings = (template: TemplateJson, config: ImageFactoryConfig) =>
  retentionFindings(template, logRetentionFor(config.logRetentionDays), 'imageFactory.logRetentionDays');

/**
 * A Lambda function creates /aws/lambda/<name> on its first log line unless that group exists: a
 * custom resource that invokes its provider before the stack has created the provider's group
 * makes the group's own creation fail ("already exists"). Every group a provider writes to (its
 * LoggingConfig group, or one named after it) must be created before the custom resource.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-advanced.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-dependson.html
 */
function customResourceRaces(template: TemplateJson): string[] {
  const groups = resourcesOf(template, 'AWS::Logs::LogGroup');
  return Object.entries(template.Resources)
    .filter(([, r]) => r.Type.startsWith('Custom::') || r.Type === 'AWS::CloudFormation::CustomResource')
    .flatMap(([id, custom]) => {
      const token = custom.Properties?.ServiceToken as { 'Fn::GetAtt'?: string[] } | undefined;
      const provider = token?.['Fn::GetAtt']?.[0];
      if (!provider) return [];
      const logging = template.Resources[provider]?.Properties?.LoggingConfig?.LogGroup as
        { Ref?: string } | undefined;
      const written = groups
        .filter(
          ([groupId, g]) =>
            groupId === logging?.Ref ||
            (g.Properties?.LogGroupName !== undefined &&
              render(g.Properties.LogGroupName) === `/aws/lambda/\${${provider}}`),
        )
        .map(([groupId]) => groupId);
      const before = createdBefore(id, template);
      return written
        .filter((g) => !before.has(g))
        .map((g) => `${id} may invoke ${provider} before ${g} exists`);
    });
}

describe('log groups', () => {
  it.each(ENVS)('%s: every log group keeps the retention its configuration names', (env) => {
    expect(environmentFindings(templateOf(env), configOf(env))).toEqual([]);
  });

  it("image factory: every log group, Image Builder's included, keeps the factory's retention", () => {
    const t = factoryTemplateOf();
    expect(
      resourcesOf(t, 'AWS::Logs::LogGroup').filter(([, g]) =>
        String(g.Properties?.LogGroupName).startsWith('/aws/imagebuilder/'),
      ),
    ).toHaveLength(2);
    expect(factoryFindings(t, factoryConfig())).toEqual([]);
  });

  it('follow a configuration change: every group of each stack, the rollout’s included, takes the new value', () => {
    const config = configOf('staging');
    config.fleet.logRetentionDays = 14;
    const imageFactory = factoryConfig();
    imageFactory.logRetentionDays = 7;
    const app = testApp({ environments: [config], imageFactory });
    try {
      const template = app.template('staging').toJSON() as TemplateJson;
      expect(environmentFindings(template, config)).toEqual([]);
      const retentions = (t: TemplateJson) =>
        new Set(resourcesOf(t, 'AWS::Logs::LogGroup').map(([, g]) => g.Properties?.RetentionInDays));
      expect(retentions(template)).toEqual(new Set([14]));
      const factory = app.factoryTemplate().toJSON() as TemplateJson;
      expect(factoryFindings(factory, imageFactory)).toEqual([]);
      expect(retentions(factory)).toEqual(new Set([7]));
    } finally {
      app.cleanup();
    }
  });

  it.each(ENVS)(
    "%s: the launch template's custom resource runs after its provider's log group exists",
    (env) => {
      const t = templateOf(env);
      expect(resourcesOf(t, 'Custom::AWS')).toHaveLength(1);
      expect(customResourceRaces(t)).toEqual([]);
    },
  );

  it.each(STACKS)("%s: no custom resource runs before its provider's log group exists", (stack) => {
    expect(customResourceRaces(stackTemplateOf(stack))).toEqual([]);
  });

  describe('the checks themselves', () => {
    it('fail on a group kept for a fixed year, as the rollout’s were', () => {
      const t = templateOf('dev');
      const [id, group] =
        resourcesOf(t, 'AWS::Logs::LogGroup').find(([i]) => i.startsWith('RolloutExecutionLogs')) ?? [];
      (group?.Properties as Record<string, unknown>).RetentionInDays = 365;
      expect(environmentFindings(t, configOf('dev'))).toEqual([
        `${id} keeps 365 days, not fleet.logRetentionDays (30)`,
      ]);
    });

    it('fail on a group that never expires', () => {
      const t = templateOf('dev');
      const [id, group] = resourcesOf(t, 'AWS::Logs::LogGroup')[0] ?? [];
      delete (group?.Properties as Record<string, unknown>).RetentionInDays;
      expect(environmentFindings(t, configOf('dev'))).toEqual([
        expect.stringMatching(new RegExp(`^${id} keeps forever days`)),
      ]);
    });

    it('fail on the provider as it was: a group named after the function that nothing orders first', () => {
      const t = templateOf('dev');
      const [, custom] = resourcesOf(t, 'Custom::AWS')[0] ?? [];
      const provider = (custom?.Properties?.ServiceToken as { 'Fn::GetAtt': string[] })[
        'Fn::GetAtt'
      ][0] as string;
      const fn = t.Resources[provider] as { Properties: Record<string, unknown> };
      delete fn.Properties.LoggingConfig;
      (t.Resources as Record<string, unknown>).ProviderLogGroup = {
        Type: 'AWS::Logs::LogGroup',
        Properties: {
          LogGroupName: { 'Fn::Join': ['', ['/aws/lambda/', { Ref: provider }]] },
          RetentionInDays: 731,
        },
        DeletionPolicy: 'Retain',
      };
      expect(customResourceRaces(t)).toEqual([
        expect.stringMatching(/may invoke .* before ProviderLogGroup exists$/),
      ]);
      expect(environmentFindings(t, configOf('dev'))).toContain(
        'ProviderLogGroup keeps 731 days, not fleet.logRetentionDays (30)',
      );
    });
  });
});
