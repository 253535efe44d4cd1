import {
  ConfigError,
  deployabilityWarnings,
  imageFactoryDeployabilityWarnings,
  loadConfig,
  loadEnvironments,
  validateEnvironment,
  validateImageFactory,
} from '../../lib/config';
import { configOf, factoryConfig } from '../support/synth';
import { SHIPPED_ENVIRONMENTS } from '../support/templates';

describe('configured environments', () => {
  it('validates dev, staging and prod, the environments the test run synthesizes', () => {
    const names = loadEnvironments({ sourceRevision: 'abc123' }).map((c) => c.name);
    expect(names).toEqual(['dev', 'staging', 'prod']);
    expect(names).toEqual([...SHIPPED_ENVIRONMENTS]);
  });

  it('takes the source revision from context before the process environment', () => {
    const fromContext = loadConfig({ sourceRevision: 'ctx1', env: { SOURCE_REVISION: 'env1' } });
    expect(fromContext.imageFactory.sourceRevision).toBe('ctx1');
    const fromEnv = loadConfig({ env: { SOURCE_REVISION: 'env1' } });
    expect(fromEnv.imageFactory.sourceRevision).toBe('env1');
    expect(loadConfig().imageFactory.sourceRevision).toBe('unversioned');
  });
});

describe('image factory config validation', () => {
  const fails = (mutate: (f: Record<string, any>) => void) => {
    const f = factoryConfig() as unknown as Record<string, any>;
    mutate(f);
    return () => validateImageFactory(f);
  };

  it('accepts the configured factory', () => {
    expect(fails(() => undefined)).not.toThrow();
  });

  it('fails when keepAtLeast is below 1, naming the factory, field, value and rule', () => {
    expect(fails((f) => (f.lifecycle.keepAtLeast = 0))).toThrow(
      new ConfigError(
        'imageFactory.lifecycle.keepAtLeast must be a whole number 1-10 (Image Builder RetainAtLeast), got 0',
      ),
    );
  });

  it('fails when the recipe version is a pasted blob, echoing only its start and its length', () => {
    const blob = '1.'.repeat(5000);
    expect(fails((f) => (f.recipeVersion = blob))).toThrow(
      new RegExp(`^imageFactory\\.recipeVersion .*, got "${'1\\.'.repeat(59)}1… \\(10002 characters\\)$`),
    );
  });

  it('fails when the recipe version is not semantic', () => {
    expect(fails((f) => (f.recipeVersion = '1.0'))).toThrow(
      /imageFactory\.recipeVersion must be a semantic version.*got "1\.0"/,
    );
  });

  it('fails when the schedule is not a six-field cron', () => {
    expect(fails((f) => (f.schedule.cron = 'cron(0 3 * * *)'))).toThrow(
      /imageFactory\.schedule\.cron must be a six-field/,
    );
  });

  it('fails when the time zone is unknown', () => {
    expect(fails((f) => (f.schedule.timezone = 'Mars/Olympus'))).toThrow(
      /imageFactory\.schedule\.timezone must be an IANA time zone/,
    );
  });

  it('fails when the artifact is an https:// download but the factory network has no NAT', () => {
    expect(fails((f) => (f.app.artifactUri = 'https://example.com/web-1.0.0.tar.gz'))).toThrow(
      /imageFactory\.app\.artifactUri cannot be an https:\/\/ URI while network\.natGateways is 0.*s3:\/\/bucket\/key/,
    );
    expect(
      fails((f) => {
        f.app.artifactUri = 'https://example.com/web-1.0.0.tar.gz';
        f.network.natGateways = 1;
      }),
    ).not.toThrow();
    expect(fails((f) => (f.app.artifactUri = 's3://releases/web-1.0.0.tar.gz'))).not.toThrow();
  });

  it('fails when a field name is misspelt', () => {
    expect(fails((f) => (f.lifecycle.keepAtleast = 2))).toThrow(
      /imageFactory\.lifecycle\.keepAtleast is not a known field \(remove it or fix its spelling\)/,
    );
  });

  it('fails when a region is pinned without availability zones', () => {
    expect(
      fails((f) => {
        f.account = '111111111111';
        f.region = 'eu-west-1';
      }),
    ).toThrow(/imageFactory\.network\.availabilityZones is required when region is set/);
  });

  it('fails when the scan severity is not one Inspector reports', () => {
    expect(fails((f) => (f.scan.failOnSeverity = 'SEVERE'))).toThrow(
      /imageFactory\.scan\.failOnSeverity must be one of .*CRITICAL, got "SEVERE"/,
    );
  });

  it('fails when no one is subscribed, pinned or not', () => {
    expect(fails((f) => (f.notificationEmails = []))).toThrow(
      new ConfigError(
        'imageFactory.notificationEmails must name at least one address: without a subscriber no notification reaches anyone, got []',
      ),
    );
  });

  it('fails when a pinned factory still names a placeholder address', () => {
    expect(
      fails((f) => {
        f.account = '111111111111';
        f.region = 'eu-west-1';
        f.network.availabilityZones = ['eu-west-1a', 'eu-west-1b'];
      }),
    ).toThrow(
      new ConfigError(
        'imageFactory.notificationEmails.0 must be a real address: a reserved example domain is a placeholder nobody reads, got "platform-oncall@example.com"',
      ),
    );
  });

  it('warns, while not pinned, that a placeholder address reaches nobody', () => {
    expect(imageFactoryDeployabilityWarnings(factoryConfig())).toEqual([
      'imageFactory is not deployable yet: notificationEmails platform-oncall@example.com (reserved example domains) reach nobody; set the addresses of the people on call.',
    ]);
    const real = factoryConfig();
    real.notificationEmails = ['builds@acme.io'];
    expect(imageFactoryDeployabilityWarnings(real)).toEqual([]);
  });
});

describe('config validation', () => {
  const fails = (mutate: (c: Record<string, any>) => void, env: 'dev' | 'staging' | 'prod' = 'prod') => {
    const c = configOf(env) as unknown as Record<string, any>;
    mutate(c);
    return () => validateEnvironment(c);
  };

  it('fails when the capacity is not a whole number, naming environment, field, value and rule', () => {
    expect(fails((c) => (c.fleet.capacity.min = 2.5))).toThrow(
      new ConfigError('prod.fleet.capacity.min must be a whole number, got 2.5'),
    );
  });

  it('fails when a field name is misspelt', () => {
    expect(fails((c) => (c.rollout.canary.bakeSecond = 600))).toThrow(
      /prod\.rollout\.canary\.bakeSecond is not a known field \(remove it or fix its spelling\)/,
    );
  });

  it('fails when an environment still carries a bake section (the image factory bakes now)', () => {
    expect(fails((c) => (c.bake = { recipeVersion: '1.0.0' }))).toThrow(/^prod\.bake is not a known field/);
  });

  it('fails when the phoenix schedule is not a six-field cron', () => {
    expect(fails((c) => (c.rollout.phoenixSchedule.cron = 'cron(0 3 * * *)'))).toThrow(
      /prod\.rollout\.phoenixSchedule\.cron must be a six-field/,
    );
  });

  it('fails when the phoenix time zone is unknown', () => {
    expect(fails((c) => (c.rollout.phoenixSchedule.timezone = 'Mars/Olympus'))).toThrow(
      /prod\.rollout\.phoenixSchedule\.timezone must be an IANA time zone/,
    );
  });

  it('fails when prod has no certificate', () => {
    expect(fails((c) => delete c.fleet.loadBalancer.certificateArn)).toThrow(
      /prod\.fleet\.loadBalancer\.certificateArn is required in prod/,
    );
  });

  it('fails when the certificate ARN is not an ACM certificate ARN', () => {
    expect(
      fails((c) => (c.fleet.loadBalancer.certificateArn = 'arn:aws:acm:eu-west-1:111111111111:cert')),
    ).toThrow(
      /prod\.fleet\.loadBalancer\.certificateArn must be an ACM certificate ARN \(arn:aws:acm:<region>:<account>:certificate\/<id>\)/,
    );
  });

  it('fails when capacity.min exceeds capacity.desired', () => {
    expect(fails((c) => (c.fleet.capacity.min = 9))).toThrow(
      /prod\.fleet\.capacity\.min must be <= capacity\.desired \(6\), got 9/,
    );
  });

  it('fails when canary steps do not end at 100', () => {
    expect(fails((c) => (c.rollout.canary.steps = [5, 50]))).toThrow(
      /prod\.rollout\.canary\.steps must end at 100/,
    );
  });

  it('fails when canary steps go backwards', () => {
    expect(fails((c) => (c.rollout.canary.steps = [50, 25, 100]))).toThrow(
      /prod\.rollout\.canary\.steps must be strictly increasing/,
    );
  });

  it('fails when the refresh healthy window is wider than AWS allows', () => {
    expect(
      fails((c) => {
        c.rollout.refresh.minHealthyPercentage = 50;
        c.rollout.refresh.maxHealthyPercentage = 200;
      }),
    ).toThrow(/prod\.rollout\.refresh\.maxHealthyPercentage minus minHealthyPercentage must be <= 100/);
  });

  it('fails when the lock could expire before the workflow times out', () => {
    expect(fails((c) => (c.rollout.lockTtlSeconds = 3600))).toThrow(
      /prod\.rollout\.lockTtlSeconds must be greater than timeoutMinutes/,
    );
  });

  it('fails when an environment promotes from itself', () => {
    expect(fails((c) => (c.promotion.from = 'prod'))).toThrow(
      /prod\.promotion\.from must name a different environment, got "prod"/,
    );
  });

  it('fails when a promotion from an environment says nothing of its soak or approval', () => {
    expect(fails((c) => (c.promotion = { from: 'staging' }))).toThrow(
      /prod\.promotion\.soakMinutes must be a number, got nothing\nprod\.promotion\.approval must be "automatic" or "manual", got nothing/,
    );
  });

  it('fails when the promotion approval is neither automatic nor manual', () => {
    expect(fails((c) => (c.promotion.approval = 'maybe'))).toThrow(
      /prod\.promotion\.approval must be "automatic" or "manual", got "maybe"/,
    );
  });

  it('fails when the image factory is promoted from with a soak', () => {
    expect(fails((c) => (c.promotion = { from: 'image-factory', soakMinutes: 60 }), 'dev')).toThrow(
      /dev\.promotion\.soakMinutes is not a known field/,
    );
  });

  it('fails when a region is pinned without availability zones', () => {
    expect(
      fails((c) => {
        c.account = '123456789012';
        c.region = 'eu-west-1';
      }),
    ).toThrow(/prod\.network\.availabilityZones is required when region is set/);
  });

  it('fails when account is given without region', () => {
    expect(fails((c) => (c.account = '123456789012'))).toThrow(
      /prod\.region must be set together with account/,
    );
  });

  it('fails when a freeze window ends before it starts', () => {
    expect(
      fails(
        (c) =>
          (c.rollout.freezeWindows = [
            { start: '2027-01-02T00:00:00Z', end: '2027-01-01T00:00:00Z', reason: 'x' },
          ]),
      ),
    ).toThrow(/prod\.rollout\.freezeWindows\.0\.end must be after start/);
  });

  it('fails when the fleet still names the application port or health path (the image factory does)', () => {
    expect(fails((c) => (c.fleet.appPort = 8080))).toThrow(/^prod\.fleet\.appPort is not a known field/);
    expect(fails((c) => (c.fleet.healthCheck.path = '/health'))).toThrow(
      /^prod\.fleet\.healthCheck\.path is not a known field/,
    );
  });

  it('reports every broken rule at once', () => {
    const run = fails((c) => {
      c.fleet.healthCheck.intervalSeconds = 1;
      c.rollout.maxInstanceAgeDays = 0;
    });
    expect(run).toThrow(
      /prod\.fleet\.healthCheck\.intervalSeconds must be >= 5, got 1\n(.*\n)*prod\.rollout\.maxInstanceAgeDays must be >= 1, got 0/,
    );
  });
});

/** Pin an environment to an account and region, with the zones a pinned environment needs. */
const pin = (c: Record<string, any>, account: string, region: string) => {
  c.account = account;
  c.region = region;
  c.network.availabilityZones = [`${region}a`, `${region}b`, `${region}c`];
};
const ACCOUNT = '210987654321';
const certificateOf = (account: string, region: string) =>
  `arn:aws:acm:${region}:${account}:certificate/12345678-90ab-4cde-8f01-234567890abc`;

describe('deployability of a pinned environment', () => {
  const validated = (mutate: (c: Record<string, any>) => void) => {
    const c = configOf('prod') as unknown as Record<string, any>;
    c.rollout.notificationEmails = ['oncall@corp.internal.acme.io'];
    mutate(c);
    return () => validateEnvironment(c);
  };

  it('accepts a certificate of its own account and region', () => {
    expect(
      validated((c) => {
        pin(c, ACCOUNT, 'eu-central-1');
        c.fleet.loadBalancer.certificateArn = certificateOf(ACCOUNT, 'eu-central-1');
      }),
    ).not.toThrow();
  });

  it('fails when the shipped placeholder certificate meets a real account and region, naming both rules', () => {
    const placeholder = configOf('prod').fleet.loadBalancer.certificateArn;
    expect(validated((c) => pin(c, ACCOUNT, 'eu-central-1'))).toThrow(
      new ConfigError(
        [
          "prod.fleet.loadBalancer.certificateArn must be a certificate of eu-central-1, the environment's region (ACM certificates are regional: the load balancer cannot use one of eu-west-1)",
          "prod.fleet.loadBalancer.certificateArn must be a certificate of account 210987654321, the environment's account (the load balancer cannot use one of 111111111111)",
        ]
          .map((line) => `${line}, got ${JSON.stringify(placeholder)}`)
          .join('\n'),
      ),
    );
  });

  it('fails when the certificate is of another region', () => {
    expect(
      validated((c) => {
        pin(c, ACCOUNT, 'eu-west-1');
        c.fleet.loadBalancer.certificateArn = certificateOf(ACCOUNT, 'us-east-1');
      }),
    ).toThrow(
      /^prod\.fleet\.loadBalancer\.certificateArn must be a certificate of eu-west-1, .* one of us-east-1\), got/,
    );
  });

  it('fails when prod has no certificate at all', () => {
    expect(
      validated((c) => {
        pin(c, ACCOUNT, 'eu-west-1');
        delete c.fleet.loadBalancer.certificateArn;
      }),
    ).toThrow(/^prod\.fleet\.loadBalancer\.certificateArn is required in prod/);
  });

  it('fails when a notification address is a placeholder', () => {
    expect(
      validated((c) => {
        pin(c, ACCOUNT, 'eu-west-1');
        c.fleet.loadBalancer.certificateArn = certificateOf(ACCOUNT, 'eu-west-1');
        c.rollout.notificationEmails = ['oncall@corp.internal.acme.io', 'platform-oncall@example.com'];
      }),
    ).toThrow(
      new ConfigError(
        'prod.rollout.notificationEmails.1 must be a real address: a reserved example domain is a placeholder nobody reads, got "platform-oncall@example.com"',
      ),
    );
  });

  it('fails when no one is subscribed, pinned or not', () => {
    expect(validated((c) => (c.rollout.notificationEmails = []))).toThrow(
      /^prod\.rollout\.notificationEmails must name at least one address: without a subscriber no notification reaches anyone, got \[\]$/,
    );
  });
});

describe('deployability warnings of an environment not pinned yet', () => {
  it('says the shipped prod is not deployable yet: certificate and placeholder address', () => {
    const prod = configOf('prod');
    expect(deployabilityWarnings(prod)).toEqual([
      `prod is not deployable yet: fleet.loadBalancer.certificateArn (${prod.fleet.loadBalancer.certificateArn}) must be a certificate of the environment's account and region, which only a pinned environment names; set account, region and network.availabilityZones.`,
      'prod is not deployable yet: rollout.notificationEmails platform-oncall@example.com (reserved example domains) reach nobody; set the addresses of the people on call.',
    ]);
  });

  it('says nothing of a certificate where none is configured', () => {
    expect(deployabilityWarnings(configOf('dev'))).toEqual([
      'dev is not deployable yet: rollout.notificationEmails platform-oncall@example.com (reserved example domains) reach nobody; set the addresses of the people on call.',
    ]);
  });

  it('leaves pinned environments to validation: no warning', () => {
    const c = configOf('prod') as unknown as Record<string, any>;
    pin(c, ACCOUNT, 'eu-west-1');
    expect(deployabilityWarnings(c as never)).toEqual([]);
  });

  it.each(['a@example.com', 'a@mail.example.org', 'a@host.test', 'a@x.invalid', 'a@b.example'])(
    'treats %s as a placeholder',
    (email) => {
      const c = configOf('dev');
      c.rollout.notificationEmails = [email];
      expect(deployabilityWarnings(c)).toHaveLength(1);
    },
  );

  it.each(['oncall@acme.io', 'a@examples.com', 'a@example.com.au'])('takes %s as a real address', (email) => {
    const c = configOf('dev');
    c.rollout.notificationEmails = [email];
    expect(deployabilityWarnings(c)).toEqual([]);
  });
});
