import { ConfigError, validateImageFactory } from '../../lib/config';
import { validateBakePipelineProps } from '../../lib/constructs/bake';
import type { BakePipelineProps } from '../../lib/constructs/bake';
import { factoryConfig } from '../support/synth';

describe('bake config validation', () => {
  const fails = (mutate: (c: Record<string, any>) => void) => {
    const c = factoryConfig() as unknown as Record<string, any>;
    mutate(c);
    return () => validateImageFactory(c);
  };

  it('accepts the largest count Image Builder can retain', () => {
    expect(fails((c) => (c.lifecycle.keepAtLeast = 10))).not.toThrow();
  });

  it('fails when keepAtLeast exceeds what an Image Builder lifecycle rule can retain', () => {
    expect(fails((c) => (c.lifecycle.keepAtLeast = 11))).toThrow(
      new ConfigError(
        'imageFactory.lifecycle.keepAtLeast must be a whole number 1-10 (Image Builder RetainAtLeast), got 11',
      ),
    );
  });
});

describe('the configuration and the bake pipeline check the same rules', () => {
  const config = (mutate: (c: Record<string, any>) => void) => {
    const c = factoryConfig() as unknown as Record<string, any>;
    mutate(c);
    return () => validateImageFactory(c);
  };
  /** The props the image factory's stack would give the pipeline from that configuration. */
  const construct = (mutate: (c: Record<string, any>) => void) => {
    const c = factoryConfig() as unknown as Record<string, any>;
    mutate(c);
    const protectedEnvironments = ['dev', 'staging', 'prod'];
    return () => validateBakePipelineProps({ ...c, protectedEnvironments } as unknown as BakePipelineProps);
  };

  it.each([
    ['a root volume of 2000 GiB (gp3 allows 16384)', (c: Record<string, any>) => (c.rootVolumeGiB = 2000)],
    ['a recipe version node of 2^30-1', (c: Record<string, any>) => (c.recipeVersion = '1.0.1073741823')],
    ['an app name of 41 characters', (c: Record<string, any>) => (c.app.name = `w${'e'.repeat(40)}`)],
    ['the highest TCP port', (c: Record<string, any>) => (c.app.port = 65535)],
    [
      'a health check path with a query',
      (c: Record<string, any>) => (c.app.healthCheckPath = '/health?deep=1'),
    ],
  ])('both accept %s', (_what, mutate) => {
    expect(config(mutate)).not.toThrow();
    expect(construct(mutate)).not.toThrow();
  });

  it.each([
    [
      'rootVolumeGiB',
      'a root volume past gp3’s 16384 GiB',
      (c: Record<string, any>) => (c.rootVolumeGiB = 16385),
    ],
    [
      'recipeVersion',
      'a version node past 2^30-1',
      (c: Record<string, any>) => (c.recipeVersion = '1.0.1073741824'),
    ],
    ['app.name', 'an app name with an upper-case letter', (c: Record<string, any>) => (c.app.name = 'Web')],
    ['app.port', 'a port past 65535', (c: Record<string, any>) => (c.app.port = 65536)],
    [
      'app.healthCheckPath',
      'a relative health check path',
      (c: Record<string, any>) => (c.app.healthCheckPath = 'health'),
    ],
    [
      'lifecycle.deleteAfterDays',
      'deletion before deprecation',
      (c: Record<string, any>) => (c.lifecycle.deleteAfterDays = 30),
    ],
  ])('fails in both, with the same rule, when %s breaks it (%s)', (field, _what, mutate) => {
    const message = (run: () => unknown) => {
      try {
        run();
      } catch (e) {
        return (e as Error).message;
      }
      return 'accepted';
    };
    const fromConfig = /^imageFactory\.(\S+) (.*), got .*$/.exec(message(config(mutate)));
    expect(fromConfig?.[1]).toBe(field);
    expect(message(construct(mutate))).toContain(`${field} ${fromConfig?.[2]}, got`);
  });
});
