import { deploymentParameterName } from '../../../lambda/shared/deployment';
import type { EnvironmentDeployment } from '../../../lambda/shared/deployment';
import { runtimeParameters } from '../../../lambda/shared/names';
import type { WorkflowSettings } from '../../../lambda/shared/settings';
import { STEP_HANDLERS, STEP_SETTINGS_VARIABLE, stepSettingsOf } from '../../../lambda/shared/step-settings';
import { HANDLER_METADATA } from '../../../lib/constructs/functions/handlers';
import type { Colour } from '../../../lambda/shared/colours';
import type { ImmutableStack } from '../../../lib/stacks/immutable-stack';
import { configOf } from '../../support/synth';
import { shippedProduct } from '../../support/shipped-product';
import type { TestApp } from '../../support/synth';
import { render, rendered, rolloutDefinition } from './rollout-template';
import type { AslDefinition, AslState } from './rollout-template';

const ENVS = ['dev', 'staging', 'prod'] as const;
type Env = (typeof ENVS)[number];
const VALIDATE = 'Validate Input';

let app: TestApp;
const stacks = {} as Record<Env, ImmutableStack>;
const defs = {} as Record<Env, AslDefinition>;
const deployments = {} as Record<Env, EnvironmentDeployment>;
const stepVariables = {} as Record<Env, Map<string, string>>;

type Resources = Record<string, { Type: string; Metadata?: Record<string, unknown>; Properties: any }>;

beforeAll(() => {
  app = shippedProduct();
  for (const env of ENVS) {
    const stack = app.stack(env);
    stacks[env] = stack;
    defs[env] = rolloutDefinition(stack, app.template(env));
    const resources = app.template(env).toJSON().Resources as Resources;
    const parameter = Object.values(resources).find(
      (r) => r.Type === 'AWS::SSM::Parameter' && r.Properties.Name === deploymentParameterName(env),
    );
    deployments[env] = JSON.parse(render(parameter?.Properties.Value)) as EnvironmentDeployment;
    stepVariables[env] = new Map(
      Object.values(resources)
        .filter((r) => r.Type === 'AWS::Lambda::Function')
        .map((r) => [
          String(r.Metadata?.[HANDLER_METADATA]),
          render(r.Properties.Environment?.Variables?.[STEP_SETTINGS_VARIABLE] ?? ''),
        ]),
    );
  }
});
afterAll(() => app.cleanup());

describe('settings', () => {
  it.each(ENVS)('%s: the deployment describes the fleet and the rollout configuration', (env) => {
    const stack = stacks[env];
    const { fleet, config } = stack;
    const r = config.rollout;
    const parameters = runtimeParameters(env);
    const byColour = <T>(f: (c: Colour) => T) => ({ blue: f('blue'), green: f('green') });
    const read = defs[env].States['Load Settings'] as AslState;
    expect(read.Type).toBe('Pass');
    expect(read.Next).toBe(VALIDATE);
    // the input from the context object: a Path on a null input would fail before validation
    expect(read.InputPath).toBeNull();
    // the execution's data only: each step's settings are its function's own
    expect(read.Parameters).toEqual({
      'input.$': '$$.Execution.Input',
      execution: {
        'id.$': '$$.Execution.Id',
        'name.$': '$$.Execution.Name',
        'startedAt.$': '$$.Execution.StartTime',
      },
    });
    expect(deployments[env].rolloutStateMachineArn).toBe(
      rendered(stack, stack.rollout.stateMachine.stateMachineArn),
    );
    expect(deployments[env].settings).toEqual({
      environment: env,
      groups: { blue: `immutable-${env}-blue`, green: `immutable-${env}-green` },
      targetGroups: byColour((c) => rendered(stack, fleet.targetGroups[c].targetGroupArn)),
      targetGroupDimensions: byColour((c) => rendered(stack, fleet.targetGroupFullNames[c])),
      loadBalancerDimension: rendered(stack, fleet.loadBalancerFullName),
      listenerArn: rendered(stack, fleet.listenerArn),
      launchTemplateId: rendered(stack, fleet.launchTemplateId),
      alarms: byColour((c) =>
        [
          fleet.alarms[c].errors5xx,
          fleet.alarms[c].latency,
          fleet.alarms[c].unhealthyHosts,
          fleet.alarms[c].fleetUnhealthy,
        ].map((a) => rendered(stack, a.alarmName)),
      ),
      refreshAlarms: byColour((c) => [
        `immutable-${env}-${c}-5xx`,
        `immutable-${env}-${c}-latency`,
        `immutable-${env}-${c}-unhealthy-hosts`,
      ]),
      table: rendered(stack, stack.rollout.table.tableName),
      parameters: {
        releasedImage: parameters.releasedImage,
        listenerWeights: parameters.listenerWeights,
        launchTemplateVersions: byColour((c) => parameters.launchTemplateVersion(c)),
      },
      capacity: config.fleet.capacity,
      expectedBootSeconds: r.expectedBootSeconds,
      maxInstanceAgeDays: r.maxInstanceAgeDays,
      refresh: r.refresh,
      canary: r.canary,
      rollbackSteps: r.rollbackSteps,
      scaleDownDelaySeconds: r.scaleDownDelaySeconds,
      lockTtlSeconds: r.lockTtlSeconds,
      timeoutSeconds: r.timeoutMinutes * 60,
      freezeWindows: r.freezeWindows,
      ...(config.promotion.from === 'image-factory' ? {} : { promoteFrom: config.promotion.from }),
      downstream: downstreamOf(env),
      // one account: the factory's images are this account's own
      images: { owners: ['${AWS::AccountId}'], failOnSeverity: config.images.failOnSeverity },
    });
  });

  it.each(ENVS)("%s: each step's function is deployed with its own slice of those settings", (env) => {
    for (const step of STEP_HANDLERS)
      expect(JSON.parse(stepVariables[env].get(step) ?? '{}')).toEqual(
        stepSettingsOf(step, deployments[env].settings),
      );
  });

  it('names the upstream environment where there is one, and what each release is promoted to next', () => {
    const settingsOf = (env: Env): WorkflowSettings => deployments[env].settings;
    expect(ENVS.map((env) => [settingsOf(env).promoteFrom, settingsOf(env).downstream])).toEqual([
      [undefined, [{ environment: 'staging', soakMinutes: 60, approval: 'automatic' }]],
      ['dev', [{ environment: 'prod', soakMinutes: 240, approval: 'manual' }]],
      ['staging', []],
    ]);
  });
});

/** The environments that promote from `env`, as their configurations say. */
function downstreamOf(env: Env) {
  return ENVS.map(configOf).flatMap((c) =>
    c.promotion.from === env
      ? [{ environment: c.name, soakMinutes: c.promotion.soakMinutes, approval: c.promotion.approval }]
      : [],
  );
}
