import {
  ConfigError,
  loadConfig,
  takesReleases,
  validateImageFactory,
  validateProduct,
} from '../../lib/config';
import type { EnvironmentConfig, ImageFactoryConfig } from '../../lib/config';
import { configOf, factoryConfig } from '../support/synth';

type Raw = Record<string, any>;

/** The configured product, deep-copied, for a test to break. */
function product(): { imageFactory: Raw; environments: Raw[] } {
  return {
    imageFactory: factoryConfig(),
    environments: (['dev', 'staging', 'prod'] as const).map((e) => configOf(e) as unknown as Raw),
  };
}

/** Validate the configured product after `mutate`; returns the thrown message, or 'accepted'. */
function problemsOf(mutate: (p: { imageFactory: Raw; environments: Raw[] }) => void): string {
  const p = product();
  mutate(p);
  try {
    validateProduct(p);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  return 'accepted';
}

const env = (p: { environments: Raw[] }, name: string): Raw => {
  const found = p.environments.find((e) => e.name === name);
  if (!found) throw new Error(`no ${name}`);
  return found;
};

/** Pin the factory and every environment (each with its zones), as a real deployment does. */
function pinAll(p: { imageFactory: Raw; environments: Raw[] }): void {
  for (const [c, account] of [
    [p.imageFactory, '111111111111'],
    [env(p, 'dev'), '222222222222'],
    [env(p, 'staging'), '333333333333'],
    [env(p, 'prod'), '444444444444'],
  ] as const) {
    c.account = account;
    c.region = 'eu-west-1';
    c.network.availabilityZones = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];
  }
  // A pinned stack deploys for real: real addresses, and prod's certificate of its own account.
  p.imageFactory.notificationEmails = ['builds@acme.io'];
  for (const e of p.environments) e.rollout.notificationEmails = ['oncall@acme.io'];
  env(p, 'prod').fleet.loadBalancer.certificateArn =
    'arn:aws:acm:eu-west-1:444444444444:certificate/00000000-0000-4000-8000-000000000000';
}

describe('the product: rules between the image factory and the environments', () => {
  it('accepts the configured product', () => {
    expect(problemsOf(() => undefined)).toBe('accepted');
  });

  it('accepts a product where every stack is pinned', () => {
    expect(problemsOf(pinAll)).toBe('accepted');
  });

  it('fails when an environment promotes from one that is not configured', () => {
    const message = problemsOf((p) => {
      p.environments = p.environments.filter((e) => e.name !== 'staging');
    });
    expect(message).toBe('prod.promotion.from must name a configured environment (dev, prod), got "staging"');
  });

  it('fails when environments take each other’s releases, naming the cycle and the fix', () => {
    const message = problemsOf((p) => {
      // staging now takes prod's releases, and prod staging's: no image ever reaches either.
      env(p, 'staging').promotion = {
        from: 'prod',
        soakMinutes: 60,
        approval: 'automatic',
        approvalTimeoutHours: 72,
      };
    });
    expect(message).toBe(
      "staging.promotion.from closes a cycle (prod → staging → prod): each takes another's releases, so no image " +
        'ever reaches them; let one of them take from "image-factory" or from an environment outside the cycle, got "prod"',
    );
  });

  it('fails when no environment takes the image factory’s images', () => {
    const message = problemsOf((p) => {
      // dev now promotes from staging, which promotes from dev: a loop nothing ever feeds.
      env(p, 'dev').promotion = {
        from: 'staging',
        soakMinutes: 0,
        approval: 'automatic',
        approvalTimeoutHours: 1,
      };
    });
    expect(message.split('\n')).toEqual([
      "dev.promotion.from closes a cycle (staging → dev → staging): each takes another's releases, so no image " +
        'ever reaches them; let one of them take from "image-factory" or from an environment outside the cycle, got "staging"',
      'promotion: no environment takes the image factory\'s images; set promotion.from to "image-factory" on the one ' +
        'that should take new images first (one of dev, staging, prod)',
    ]);
  });

  it('fails when an environment promotes from itself', () => {
    const message = problemsOf((p) => {
      env(p, 'prod').promotion = {
        from: 'prod',
        soakMinutes: 60,
        approval: 'manual',
        approvalTimeoutHours: 72,
      };
    });
    expect(message).toBe('prod.promotion.from must name a different environment, got "prod"');
  });

  it('fails when two environments share a name, naming both', () => {
    const message = problemsOf((p) => {
      p.environments.push(structuredClone(env(p, 'prod')));
    });
    expect(message).toBe(
      "environments.3.name must differ from every other environment's (environments.2 is prod too, and each " +
        'environment\'s stack and resources are named after it), got "prod"',
    );
  });

  it('fails when it lists more environments than the image factory can keep rollback candidates for', () => {
    const message = problemsOf((p) => {
      const dev = env(p, 'dev');
      p.environments = Array.from({ length: 51 }, (_, i) => ({
        ...structuredClone(dev),
        name: `env-${i}`,
        ...(i === 0
          ? {}
          : {
              promotion: { from: 'env-0', soakMinutes: 0, approval: 'automatic', approvalTimeoutHours: 1 },
            }),
      }));
    });
    expect(message).toMatch(
      /^environments must list at most 50, got 51: the image factory's lifecycle policy/,
    );
  });

  it('accepts several environments taking one source’s releases, and orders the stacks by promotion', () => {
    const p = product();
    const prod = env(p, 'prod');
    // Listed before the environments they take from: the order comes from the graph, not the list.
    p.environments = [
      { ...structuredClone(prod), name: 'prod-eu' },
      { ...structuredClone(prod), name: 'prod-us' },
      ...p.environments.filter((e) => e.name !== 'prod').reverse(),
    ];
    const valid = validateProduct(p);
    expect(valid.environments.map((e) => [e.name, e.promotion.from])).toEqual([
      ['dev', 'image-factory'],
      ['staging', 'dev'],
      ['prod-eu', 'staging'],
      ['prod-us', 'staging'],
    ]);
  });

  it('fails when some stacks are pinned and others not, naming the unpinned ones', () => {
    const onlyProdUnpinned = problemsOf((p) => {
      pinAll(p);
      const prod = env(p, 'prod');
      delete prod.account;
      delete prod.region;
    });
    expect(onlyProdUnpinned).toMatch(
      /^prod: account and region must be set on the image factory and every environment, or on none/,
    );
    const factoryAndDevUnpinned = problemsOf((p) => {
      pinAll(p);
      delete p.imageFactory.account;
      delete p.imageFactory.region;
      delete env(p, 'dev').account;
      delete env(p, 'dev').region;
    });
    expect(factoryAndDevUnpinned).toMatch(
      /^imageFactory, dev: account and region must be set on the image factory and every environment, or on none/,
    );
  });

  it('fails when only the factory is pinned', () => {
    const message = problemsOf((p) => {
      p.imageFactory.account = '111111111111';
      p.imageFactory.region = 'eu-west-1';
      p.imageFactory.network.availabilityZones = ['eu-west-1a', 'eu-west-1b'];
      p.imageFactory.notificationEmails = ['builds@acme.io'];
    });
    expect(message).toMatch(/^dev, staging, prod: account and region must be set/);
  });

  it('reports the factory’s and every environment’s own problems before the rules between them', () => {
    const message = problemsOf((p) => {
      p.imageFactory.app.port = 0;
      env(p, 'staging').fleet.capacity.min = 0;
      // a cross rule broken too: only reported once the parts are valid
      p.environments = p.environments.filter((e) => e.name !== 'dev');
    });
    expect(message.split('\n')).toEqual([
      'imageFactory.app.port must be a whole number 1-65535, got 0',
      'staging.fleet.capacity.min must be >= 1, got 0',
    ]);
  });
});

describe('loadConfig', () => {
  it('returns the validated factory and the environments in promotion order', () => {
    const config = loadConfig({ sourceRevision: 'abc123' });
    expect(config.imageFactory.sourceRevision).toBe('abc123');
    expect(config.environments.map((e) => e.name)).toEqual(['dev', 'staging', 'prod']);
  });
});

describe('the shipped promotion chain', () => {
  const promotionOf = (name: string): EnvironmentConfig['promotion'] => {
    const found = loadConfig({ sourceRevision: 'test' }).environments.find((e) => e.name === name);
    if (!found) throw new Error(`no ${name}`);
    return found.promotion;
  };

  it('dev takes what the image factory bakes', () => {
    expect(promotionOf('dev')).toEqual({ from: 'image-factory' });
  });

  it('staging takes dev’s releases automatically, after they have stood for at least an hour', () => {
    const staging = promotionOf('staging');
    expect(staging).toMatchObject({ from: 'dev', approval: 'automatic' });
    expect(takesReleases(staging) && staging.soakMinutes).toBeGreaterThanOrEqual(60);
  });

  it('prod takes staging’s releases with a person’s approval, after a soak of at most a day', () => {
    const prod = promotionOf('prod');
    expect(prod).toMatchObject({ from: 'staging', approval: 'manual' });
    if (!takesReleases(prod)) throw new Error('prod must promote from staging');
    expect(prod.soakMinutes).toBeGreaterThan(0);
    expect(prod.soakMinutes).toBeLessThanOrEqual(24 * 60);
  });
});

describe('image factory validation', () => {
  const fails = (mutate: (f: Raw) => void): (() => ImageFactoryConfig) => {
    const f = factoryConfig() as unknown as Raw;
    mutate(f);
    return () => validateImageFactory(f);
  };

  it('fails when the application port is not a TCP port', () => {
    expect(fails((f) => (f.app.port = 0))).toThrow(
      new ConfigError('imageFactory.app.port must be a whole number 1-65535, got 0'),
    );
    expect(fails((f) => (f.app.port = 65536))).toThrow(
      new ConfigError('imageFactory.app.port must be a whole number 1-65535, got 65536'),
    );
  });

  it('fails when the health check path is not absolute', () => {
    expect(fails((f) => (f.app.healthCheckPath = 'health'))).toThrow(
      new ConfigError(
        'imageFactory.app.healthCheckPath must be an absolute path such as /health, got "health"',
      ),
    );
  });

  it('fails when AMIs would be deleted before (or when) they are deprecated', () => {
    expect(fails((f) => (f.lifecycle.deleteAfterDays = 10))).toThrow(
      new ConfigError(
        'imageFactory.lifecycle.deleteAfterDays must be greater than lifecycle.deprecateAfterDays (30), got 10',
      ),
    );
    expect(fails((f) => (f.lifecycle.deleteAfterDays = 30))).toThrow(
      /^imageFactory\.lifecycle\.deleteAfterDays must be greater than lifecycle\.deprecateAfterDays \(30\), got 30$/,
    );
    expect(fails((f) => (f.lifecycle.deleteAfterDays = 31))).not.toThrow();
  });

  it('reports every broken rule at once', () => {
    expect(
      fails((f) => {
        f.app.port = 'http';
        f.app.healthCheckPath = '';
      }),
    ).toThrow(
      new ConfigError(
        'imageFactory.app.port must be a number, got "http"\n' +
          'imageFactory.app.healthCheckPath must be an absolute path such as /health, got ""',
      ),
    );
  });
});
