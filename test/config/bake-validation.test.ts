import { ConfigError, validateEnvironment } from '../../lib/config';
import { configOf } from '../support/synth';

describe('bake config validation', () => {
  const fails = (mutate: (c: Record<string, any>) => void) => {
    const c = configOf('prod') as unknown as Record<string, any>;
    mutate(c);
    return () => validateEnvironment(c);
  };

  it('accepts the largest count Image Builder can retain', () => {
    expect(fails((c) => (c.bake.lifecycle.keepAtLeast = 10))).not.toThrow();
  });

  it('fails when keepAtLeast exceeds what an Image Builder lifecycle rule can retain', () => {
    expect(fails((c) => (c.bake.lifecycle.keepAtLeast = 11))).toThrow(
      new ConfigError('prod.bake.lifecycle.keepAtLeast must be <= 10, got 11'),
    );
  });
});
