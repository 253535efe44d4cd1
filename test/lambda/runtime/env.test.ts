import { requiredEnv } from '../../../lambda/runtime/env';

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
