import { HANDLER_METADATA, ROLLOUT_HANDLERS } from '../../../lib/constructs/rollout/rollout-functions';
import type { ImmutableStack } from '../../../lib/stacks/immutable-stack';
import { testApp } from '../../support/synth';
import type { TestApp } from '../../support/synth';
import { grantsOf, render, rendered } from './rollout-template';

const ENVS = ['dev', 'staging', 'prod'] as const;
type Env = (typeof ENVS)[number];

interface FunctionResource {
  readonly Metadata?: Record<string, unknown>;
  readonly Properties: {
    readonly Runtime: string;
    readonly Architectures: string[];
    readonly Handler: string;
    readonly Role: unknown;
    readonly TracingConfig?: { Mode: string };
    readonly LoggingConfig?: { LogGroup: unknown };
    readonly Environment?: { Variables: Record<string, unknown> };
  };
}

let app: TestApp;
const stacks = {} as Record<Env, ImmutableStack>;

beforeAll(() => {
  app = testApp();
  for (const env of ENVS) {
    stacks[env] = app.stack(env);
    app.template(env);
  }
});
afterAll(() => app.cleanup());

/** The rollout's functions by the handler named in their metadata. */
function rolloutFunctions(env: Env): Map<string, FunctionResource & { logicalId: string }> {
  const all = app.template(env).findResources('AWS::Lambda::Function') as Record<string, FunctionResource>;
  return new Map(
    Object.entries(all)
      .filter(([, fn]) => fn.Metadata?.[HANDLER_METADATA] !== undefined)
      .map(([logicalId, fn]) => [String(fn.Metadata?.[HANDLER_METADATA]), { ...fn, logicalId }]),
  );
}

const variablesOf = (env: Env, handler: string) =>
  rolloutFunctions(env).get(handler)?.Properties.Environment?.Variables ?? {};

describe('rollout functions', () => {
  it.each(ENVS)('%s: one function per handler file, each tagged with its handler', (env) => {
    expect([...rolloutFunctions(env).keys()].sort()).toEqual([...ROLLOUT_HANDLERS].sort());
  });

  it.each(ENVS)('%s: Node.js 24 on arm64, X-Ray on, handler index.handler', (env) => {
    for (const [name, fn] of rolloutFunctions(env)) {
      expect({ name, ...fn.Properties }).toMatchObject({
        name,
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
      });
    }
  });

  it.each(ENVS)('%s: each function has a role and a log group of its own', (env) => {
    const fns = [...rolloutFunctions(env).values()];
    const roles = new Set(fns.map((fn) => render(fn.Properties.Role)));
    const logGroups = new Set(fns.map((fn) => render(fn.Properties.LoggingConfig?.LogGroup)));
    expect(roles.size).toBe(ROLLOUT_HANDLERS.length);
    expect(logGroups.size).toBe(ROLLOUT_HANDLERS.length);
  });

  it.each(ENVS)("%s: log groups keep the environment's fleet.logRetentionDays", (env) => {
    const logGroups = app.template(env).findResources('AWS::Logs::LogGroup') as Record<
      string,
      { Properties: { RetentionInDays?: number } }
    >;
    for (const fn of rolloutFunctions(env).values()) {
      const id = /^\$\{(\w+)\}$/.exec(render(fn.Properties.LoggingConfig?.LogGroup))?.[1] as string;
      expect({ id, retention: logGroups[id]?.Properties.RetentionInDays }).toEqual({
        id,
        retention: stacks[env].config.fleet.logRetentionDays,
      });
    }
  });

  it.each(ENVS)('%s: roles trust Lambda only, carry no managed policy, write only their own logs', (env) => {
    const template = app.template(env);
    const roles = template.findResources('AWS::IAM::Role') as Record<
      string,
      { Properties: { AssumeRolePolicyDocument: unknown; ManagedPolicyArns?: unknown[] } }
    >;
    for (const [name, fn] of rolloutFunctions(env)) {
      const roleId = /^\$\{(\w+)\.Arn\}$/.exec(render(fn.Properties.Role))?.[1] as string;
      const role = roles[roleId]?.Properties;
      expect(role?.AssumeRolePolicyDocument).toEqual({
        Statement: [
          { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
        ],
        Version: '2012-10-17',
      });
      expect({ name, managed: role?.ManagedPolicyArns }).toEqual({ name, managed: undefined });
      const logWrites = grantsOf(template, roleId).filter((g) =>
        g.actions.some((a) => a.startsWith('logs:')),
      );
      const logGroup = render(fn.Properties.LoggingConfig?.LogGroup).replace(/\}$/, '.Arn}');
      expect({ name, logWrites: logWrites.map((g) => [g.actions, g.resources]) }).toEqual({
        name,
        logWrites: [[['logs:CreateLogStream', 'logs:PutLogEvents'], [logGroup]]],
      });
    }
  });
});

describe('environment of the EventBridge-triggered functions', () => {
  it.each(ENVS)(
    '%s: on-image-available starts this state machine, gated at the bake scan severity',
    (env) => {
      const stack = stacks[env];
      expect(variablesOf(env, 'on-image-available')).toMatchObject({
        STATE_MACHINE_ARN: stack.resolve(stack.rollout.stateMachine.stateMachineArn) as unknown,
        SCAN_FAIL_ON_SEVERITY: stack.config.bake.scan.failOnSeverity,
      });
    },
  );

  it.each(ENVS)('%s: release-abandoned-lock finds the lock in this ledger', (env) => {
    const stack = stacks[env];
    expect(render(variablesOf(env, 'release-abandoned-lock').TABLE_NAME)).toBe(
      rendered(stack, stack.rollout.table.tableName),
    );
  });

  it.each(ENVS)('%s: functions the state machine runs get their settings in the payload, not env', (env) => {
    for (const name of ROLLOUT_HANDLERS.filter(
      (h) => h !== 'on-image-available' && h !== 'release-abandoned-lock',
    )) {
      expect(Object.keys(variablesOf(env, name)).sort()).toEqual([
        'NODE_OPTIONS',
        'POWERTOOLS_LOG_LEVEL',
        'POWERTOOLS_METRICS_NAMESPACE',
        'POWERTOOLS_SERVICE_NAME',
      ]);
    }
  });

  it.each(ENVS)('%s: Powertools names the service after the environment', (env) => {
    for (const name of ROLLOUT_HANDLERS) {
      expect(variablesOf(env, name)).toMatchObject({
        POWERTOOLS_SERVICE_NAME: `immutable-rollout-${env}`,
        NODE_OPTIONS: '--enable-source-maps',
      });
    }
  });
});
