import { requiredEnv, requiredEnvOneOf } from '../../../lambda/runtime/env';

describe('requiredEnv', () => {
  it('returns the value', () => {
    expect(requiredEnv('TABLE_NAME', { TABLE_NAME: 'immutable-dev-rollouts' })).toBe(
      'immutable-dev-rollouts',
    );
  });

  it.each([
    ['missing', {}],
    ['empty', { TABLE_NAME: '' }],
  ])('fails, naming the variable, when it is %s', (_case, env) => {
    expect(() => requiredEnv('TABLE_NAME', env)).toThrow(
      'environment variable TABLE_NAME is not set; the function was deployed without it',
    );
  });
});

describe('requiredEnvOneOf', () => {
  const SEVERITIES = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;

  it('returns an accepted value', () => {
    expect(requiredEnvOneOf('SCAN_FAIL_ON_SEVERITY', SEVERITIES, { SCAN_FAIL_ON_SEVERITY: 'HIGH' })).toBe(
      'HIGH',
    );
  });

  it.each(['high', 'SEVERE', ' HIGH'])(
    'fails, naming the variable and the accepted values, on %j',
    (value) => {
      expect(() =>
        requiredEnvOneOf('SCAN_FAIL_ON_SEVERITY', SEVERITIES, { SCAN_FAIL_ON_SEVERITY: value }),
      ).toThrow(
        `environment variable SCAN_FAIL_ON_SEVERITY is ${JSON.stringify(value)}, not one of LOW, MEDIUM, HIGH, CRITICAL`,
      );
    },
  );

  it('fails as requiredEnv does when the variable is missing', () => {
    expect(() => requiredEnvOneOf('SCAN_FAIL_ON_SEVERITY', SEVERITIES, {})).toThrow(
      'environment variable SCAN_FAIL_ON_SEVERITY is not set',
    );
  });
});
