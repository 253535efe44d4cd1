import {
  ConfigError,
  loadConfig,
  loadEnvironments,
  validateEnvironment,
  validateImageFactory,
} from '../../lib/config';
import { configOf, factoryConfig } from '../support/synth';

describe('configured environments', () => {
  it('validates dev, staging and prod', () => {
    expect(loadEnvironments({ sourceRevision: 'abc123' }).map((c) => c.name)).toEqual([
      'dev',
      'staging',
      'prod',
    ]);
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
