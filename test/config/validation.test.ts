import { ConfigError, loadEnvironments, validateEnvironment } from '../../lib/config';
import { configOf } from '../support/synth';

describe('configured environments', () => {
  it('validates dev, staging and prod', () => {
    expect(loadEnvironments({ sourceRevision: 'abc123' }).map((c) => c.name)).toEqual([
      'dev',
      'staging',
      'prod',
    ]);
  });

  it('takes the source revision from context before the process environment', () => {
    const [dev] = loadEnvironments({ sourceRevision: 'ctx1', env: { SOURCE_REVISION: 'env1' } });
    expect(dev?.sourceRevision).toBe('ctx1');
    const [fromEnv] = loadEnvironments({ env: { SOURCE_REVISION: 'env1' } });
    expect(fromEnv?.sourceRevision).toBe('env1');
  });
});

describe('config validation', () => {
  const fails = (mutate: (c: Record<string, any>) => void, env: 'dev' | 'staging' | 'prod' = 'prod') => {
    const c = configOf(env) as unknown as Record<string, any>;
    mutate(c);
    return () => validateEnvironment(c);
  };

  it('fails when keepAtLeast is below 1, naming environment, field, value and rule', () => {
    expect(fails((c) => (c.bake.lifecycle.keepAtLeast = 0))).toThrow(
      new ConfigError(
        'prod.bake.lifecycle.keepAtLeast must be a whole number 1-10 (Image Builder RetainAtLeast), got 0',
      ),
    );
  });

  it('fails when the recipe version is a pasted blob, echoing only its start and its length', () => {
    const blob = '1.'.repeat(5000);
    expect(fails((c) => (c.bake.recipeVersion = blob))).toThrow(
      new RegExp(`^prod\\.bake\\.recipeVersion .*, got "${'1\\.'.repeat(59)}1… \\(10002 characters\\)$`),
    );
  });

  it('fails when deletion comes before deprecation', () => {
    expect(fails((c) => (c.bake.lifecycle.deleteAfterDays = 10))).toThrow(
      /prod\.bake\.lifecycle\.deleteAfterDays must be greater than lifecycle\.deprecateAfterDays \(30\), got 10/,
    );
  });

  it('fails when the recipe version is not semantic', () => {
    expect(fails((c) => (c.bake.recipeVersion = '1.0'))).toThrow(
      /prod\.bake\.recipeVersion must be a semantic version.*got "1\.0"/,
    );
  });

  it('fails when the schedule is not a six-field cron', () => {
    expect(fails((c) => (c.bake.schedule.cron = 'cron(0 3 * * *)'))).toThrow(
      /prod\.bake\.schedule\.cron must be a six-field/,
    );
  });

  it('fails when the time zone is unknown', () => {
    expect(fails((c) => (c.bake.schedule.timezone = 'Mars/Olympus'))).toThrow(
      /prod\.bake\.schedule\.timezone must be an IANA time zone/,
    );
  });

  it('fails when a field name is misspelt', () => {
    expect(fails((c) => (c.bake.lifecycle.keepAtleast = 2))).toThrow(
      /prod\.bake\.lifecycle\.keepAtleast is not a known field \(remove it or fix its spelling\)/,
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
    expect(fails((c) => (c.rollout.promoteFrom = 'prod'))).toThrow(
      /prod\.rollout\.promoteFrom must name a different environment/,
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

  it('reports every broken rule at once', () => {
    const run = fails((c) => {
      c.fleet.appPort = 0;
      c.rollout.maxInstanceAgeDays = 0;
    });
    expect(run).toThrow(
      /prod\.fleet\.appPort must be a whole number 1-65535, got 0\nprod\.rollout\.maxInstanceAgeDays must be >= 1, got 0/,
    );
  });
});
