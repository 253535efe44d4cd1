import {
  ConfigurationError,
  deployedHandler,
  required,
  requiredJson,
} from '../../../lambda/runtime/composition';
import type { Composition, Variables } from '../../../lambda/runtime/composition';
import { stepConfig } from '../../../lambda/runtime/step-config';
import { STEP_SETTINGS, STEP_SETTINGS_VARIABLE, stepSettingsOf } from '../../../lambda/shared/step-settings';
import { settings } from '../fixtures';

/** A handler module that counts how often it is built, and says what it was built from. */
function module() {
  const built: Composition<{ table: string }, { tag: string }>[] = [];
  return {
    built,
    configure: (v: Variables) => ({ table: required(v, 'TABLE_NAME') }),
    create(parts: Composition<{ table: string }, { tag: string }>) {
      built.push(parts);
      return (event: { n: number }) => Promise.resolve({ table: parts.config.table, n: event.n });
    },
  };
}

describe('deployedHandler', () => {
  it('outside Lambda, builds on the first invocation, once, from the variables, clients and system clock', async () => {
    const m = module();
    const handler = deployedHandler(m, () => ({ tag: 'clients' }), { TABLE_NAME: 't-1' });
    expect(m.built).toHaveLength(0);
    expect(await handler({ n: 1 })).toEqual({ table: 't-1', n: 1 });
    expect(await handler({ n: 2 })).toEqual({ table: 't-1', n: 2 });
    expect(m.built).toHaveLength(1);
    expect(m.built[0]?.clients).toEqual({ tag: 'clients' });
    const before = Date.now();
    expect(m.built[0]?.clock().getTime()).toBeGreaterThanOrEqual(before);
  });

  it('inside Lambda, builds as the module loads: a misconfigured function fails its cold start', () => {
    const m = module();
    const lambda = { AWS_LAMBDA_FUNCTION_NAME: 'immutable-dev-ledger' };
    expect(() => deployedHandler(m, () => ({ tag: 'x' }), lambda)).toThrow(
      'environment variable TABLE_NAME is not set; the function was deployed without it',
    );
    deployedHandler(m, () => ({ tag: 'x' }), { ...lambda, TABLE_NAME: 't' });
    expect(m.built).toHaveLength(1);
  });
});

describe('reading variables', () => {
  it('fails when a required variable is missing or empty, naming it', () => {
    expect(() => required({}, 'TABLE_NAME')).toThrow(ConfigurationError);
    expect(() => required({ TABLE_NAME: '' }, 'TABLE_NAME')).toThrow('TABLE_NAME is not set');
    expect(required({ TABLE_NAME: 't' }, 'TABLE_NAME')).toBe('t');
  });

  it('fails when a JSON variable is not JSON, naming it', () => {
    expect(() => requiredJson({ FLEET: '{' }, 'FLEET')).toThrow('environment variable FLEET is not JSON');
    expect(requiredJson({ FLEET: '{"a":1}' }, 'FLEET')).toEqual({ a: 1 });
  });
});

describe('stepConfig', () => {
  const variables = (value: unknown) => ({ [STEP_SETTINGS_VARIABLE]: JSON.stringify(value) });

  it("reads a step's own slice of the settings", () => {
    const slice = stepSettingsOf('judge-canary', settings());
    expect(stepConfig('judge-canary')(variables(slice))).toEqual(slice);
    expect(Object.keys(slice).sort()).toEqual([...STEP_SETTINGS['judge-canary']].sort());
  });

  it('fails when the slice lacks a setting the step needs, naming it and the step', () => {
    const { canary: _canary, ...partial } = stepSettingsOf('judge-canary', settings());
    expect(() => stepConfig('judge-canary')(variables(partial))).toThrow(
      'environment variable ROLLOUT_SETTINGS lacks canary, which judge-canary needs; redeploy the stack',
    );
  });

  it('fails when the variable is not an object', () => {
    expect(() => stepConfig('ledger')(variables([1]))).toThrow('ROLLOUT_SETTINGS is not a JSON object');
  });

  it('accepts a slice without an optional setting (no upstream environment)', () => {
    const { promoteFrom: _from, ...rest } = stepSettingsOf('plan-rollout', settings({ promoteFrom: 'dev' }));
    expect(stepConfig('plan-rollout')(variables(rest))).toEqual(rest);
  });
});
