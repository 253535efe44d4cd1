import { takesReleases } from '../../../lib/config';
import { OPERATIONS_HANDLERS } from '../../../lib/constructs/functions/handlers';
import {
  HANDLER_METADATA,
  PROMOTION_HANDLERS,
  ROLLOUT_HANDLERS,
} from '../../../lib/constructs/rollout/rollout-functions';
import type { ImmutableStack } from '../../../lib/stacks/immutable-stack';
import { configOf } from '../../support/synth';
import { shippedProduct } from '../../support/shipped-product';
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
  app = shippedProduct();
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

/**
 * The handlers deployed in an environment: the rollout's, the operations', and the promotion's
 * where it takes another's releases.
 */
const handlersOf = (env: Env): string[] => [
  ...ROLLOUT_HANDLERS,
  ...OPERATIONS_HANDLERS,
  ...(configOf(env).promotion.from === 'image-factory' ? [] : PROMOTION_HANDLERS),
];

describe('rollout functions', () => {
  it.each(ENVS)('%s: one function per handler file, each tagged with its handler', (env) => {
    expect([...rolloutFunctions(env).keys()].sort()).toEqual(handlersOf(env).sort());
  });

  it('deploys the promotion’s functions only where the environment takes another one’s releases', () => {
    expect(handlersOf('dev')).toEqual([...ROLLOUT_HANDLERS, ...OPERATIONS_HANDLERS]);
    expect(handlersOf('staging')).toEqual([
      ...ROLLOUT_HANDLERS,
      ...OPERATIONS_HANDLERS,
      ...PROMOTION_HANDLERS,
    ]);
    expect(handlersOf('prod')).toEqual([...ROLLOUT_HANDLERS, ...OPERATIONS_HANDLERS, ...PROMOTION_HANDLERS]);
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
    expect(roles.size).toBe(handlersOf(env).length);
    expect(logGroups.size).toBe(handlersOf(env).length);
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
    '%s: on-image-available records in this ledger what the factory announces, gated at this environment’s scan severity',
    (env) => {
      const stack = stacks[env];
      expect(variablesOf(env, 'on-image-available')).toMatchObject({
        STATE_MACHINE_ARN: stack.resolve(stack.rollout.stateMachine.stateMachineArn) as unknown,
        TABLE_NAME: stack.resolve(stack.rollout.table.tableName) as unknown,
        SCAN_FAIL_ON_SEVERITY: stack.config.images.failOnSeverity,
        // one account: the factory's announcements come from this stack's own
        IMAGE_FACTORY_ACCOUNT: { Ref: 'AWS::AccountId' },
      });
    },
  );

  it('on-image-available starts a canary of the factory’s images in dev only', () => {
    expect(ENVS.map((env) => variablesOf(env, 'on-image-available').TAKES_FACTORY_IMAGES)).toEqual([
      'true',
      'false',
      'false',
    ]);
  });

  it.each(['staging', 'prod'] as const)(
    '%s: on-upstream-release starts this promotion for what the upstream environment releases',
    (env) => {
      const stack = stacks[env];
      const promotion = configOf(env).promotion;
      if (!takesReleases(promotion)) throw new Error(`${env} must promote from an environment`);
      expect(variablesOf(env, 'on-upstream-release')).toMatchObject({
        TABLE_NAME: stack.resolve(stack.rollout.table.tableName) as unknown,
        PROMOTION_STATE_MACHINE_ARN: stack.resolve(
          stack.rollout.promotion?.stateMachine.stateMachineArn,
        ) as unknown,
        PROMOTE_FROM: promotion.from,
        UPSTREAM_ACCOUNT: { Ref: 'AWS::AccountId' },
        SOAK_MINUTES: String(promotion.soakMinutes),
      });
    },
  );

  it.each(ENVS)('%s: release-abandoned-lock finds the lock in this ledger', (env) => {
    const stack = stacks[env];
    expect(render(variablesOf(env, 'release-abandoned-lock').TABLE_NAME)).toBe(
      rendered(stack, stack.rollout.table.tableName),
    );
  });

  it.each(ENVS)(
    '%s: functions the state machine runs get their settings in their own variables, never in the payload',
    (env) => {
      const triggered = [
        'on-image-available',
        'release-abandoned-lock',
        'on-upstream-release',
        ...OPERATIONS_HANDLERS,
      ];
      const run = handlersOf(env).filter((h) => !triggered.includes(h));
      expect(run).toContain('announce-release');
      for (const name of run) {
        expect(Object.keys(variablesOf(env, name)).sort()).toEqual([
          'NODE_OPTIONS',
          'POWERTOOLS_LOG_LEVEL',
          'POWERTOOLS_METRICS_NAMESPACE',
          'POWERTOOLS_SERVICE_NAME',
          name === 'promotion' ? 'PROMOTION_SETTINGS' : 'ROLLOUT_SETTINGS',
        ]);
      }
    },
  );

  it.each(ENVS)('%s: Powertools names the service after the environment', (env) => {
    for (const name of handlersOf(env)) {
      expect(variablesOf(env, name)).toMatchObject({
        POWERTOOLS_SERVICE_NAME: `immutable-rollout-${env}`,
        NODE_OPTIONS: '--enable-source-maps',
      });
    }
  });
});
