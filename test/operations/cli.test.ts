import { join } from 'node:path';
import { DRIFT_USAGE, driftMain, STATUS_USAGE, statusMain } from '../../tools/operations/cli';
import { synthesizedTemplates } from '../support/templates';

const ACCESS = join(__dirname, '..', 'rehearsal', 'scenarios', 'interactive-access.json');
const STOPPED = join(__dirname, 'scenarios', 'stopped-canary.json');
const RELEASED = 'ami-0123456789abcdef0';
/** A product whose environments are qa, uat, prod-eu and prod-us. */
const FOUR_ACCOUNTS = join(__dirname, '..', '..', 'examples', 'four-accounts.json');

/** Run a CLI main with its output captured; --scenario uses the test run's synthesized templates. */
async function run(main: typeof statusMain, argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    now: () => new Date('2026-11-26T10:00:00Z'),
    templates: () => Promise.resolve(synthesizedTemplates()),
    env: {},
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('--help works offline', () => {
  it.each([
    ['status', statusMain, STATUS_USAGE],
    ['drift', driftMain, DRIFT_USAGE],
  ] as const)('%s --help prints the usage and exits 0', async (_, main, usage) => {
    expect(await run(main, ['--help'])).toEqual({ code: 0, out: usage, err: '' });
  });
});

describe('usage errors exit 2, naming the field', () => {
  it.each([
    ['status', statusMain, STATUS_USAGE],
    ['drift', driftMain, DRIFT_USAGE],
  ] as const)(
    '%s fails on an unknown flag, suggesting the one meant, with the usage',
    async (name, main, usage) => {
      expect(await run(main, ['--evn', 'prod'])).toEqual({
        code: 2,
        out: '',
        err: `${name}: unknown flag --evn (did you mean --env?)\n\n${usage}`,
      });
    },
  );

  it('fails when npm kept --env for itself, saying to put -- first', async () => {
    const err: string[] = [];
    const code = await statusMain(['prod'], {
      out: () => undefined,
      err: (l) => err.push(l),
      env: { npm_lifecycle_event: 'status', npm_config_env: 'true' },
    });
    expect(code).toBe(2);
    expect(err[0]).toBe(
      'status: npm kept --env for itself: flags before -- go to npm, not to status. Put -- first: npm run status -- --env prod',
    );
  });

  it('fails on an unknown environment', async () => {
    const r = await run(driftMain, ['--env', 'qa']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--env must be one of dev, staging, prod, got "qa"');
  });

  it('fails on an environment the --config product does not have, naming the ones it has', async () => {
    const r = await run(statusMain, ['--config', FOUR_ACCOUNTS, '--env', 'prod']);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `--env must be one of qa, uat, prod-eu, prod-us, all (the environments of ${FOUR_ACCOUNTS}), got "prod"`,
    );
  });

  it('fails when the --config file cannot be used, naming it', async () => {
    const r = await run(driftMain, ['--config', 'nowhere.json', '--env', 'qa']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^drift: config file nowhere\.json does not exist/);
  });

  it('drift takes one environment, not all', async () => {
    expect((await run(driftMain, ['--env', 'all'])).code).toBe(2);
  });

  it('fails when --json is given a value', async () => {
    const r = await run(driftMain, ['--env', 'prod', '--json=yes']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('drift: --json takes no value, got --json=yes');
  });

  it('fails on --scenario with --env', async () => {
    const r = await run(statusMain, ['--scenario', ACCESS, '--env', 'prod']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('leave out --env and --region');
  });
});

describe('a scenario that cannot be rehearsed', () => {
  it('fails with 3 (could not run), naming the file, when the scenario does not exist', async () => {
    const r = await run(driftMain, ['--scenario', 'no-such-scenario.json']);
    expect(r.code).toBe(3);
    expect(r.err).toContain('no-such-scenario.json');
  });
});

describe('against the world a rehearsal leaves', () => {
  it('status shows the release, the instances and the last rollouts', async () => {
    const r = await run(statusMain, ['--scenario', ACCESS, '--json']);
    expect(r.code).toBe(0);
    const status = JSON.parse(r.out);
    expect(status).toMatchObject({
      environment: 'prod',
      released: { image: RELEASED, lineage: { 'immutable:pipeline': 'immutable-images' } },
      liveColour: 'blue',
      weights: { blue: 100, green: 0 },
      instancesByImage: { [RELEASED]: 6 },
      tainted: [],
    });
    expect(status.lock).toBeUndefined();
    expect(status.lastRollouts.map((e: { action: string; status: string }) => [e.action, e.status])).toEqual([
      ['replace', 'SUCCEEDED'],
      ['phoenix', 'SKIPPED'],
    ]);
  });

  it('synthesizes the --config product for the rehearsal, not the shipped one', async () => {
    const asked: (string | undefined)[] = [];
    const code = await statusMain(['--scenario', ACCESS, '--config', FOUR_ACCOUNTS], {
      out: () => undefined,
      err: () => undefined,
      now: () => new Date('2026-11-26T10:00:00Z'),
      templates: (configFile) => {
        asked.push(configFile);
        return Promise.resolve(synthesizedTemplates());
      },
    });
    expect({ code, asked }).toEqual({ code: 0, asked: [FOUR_ACCOUNTS] });
  });

  it('status prints a readable summary', async () => {
    const r = await run(statusMain, ['--scenario', ACCESS]);
    expect(r.out).toContain(`  released   ${RELEASED}`);
    expect(r.out).toContain('  lock       free');
  });

  it('drift finds nothing after a clean replace, and exits 0', async () => {
    const r = await run(driftMain, ['--scenario', ACCESS]);
    expect(r).toMatchObject({ code: 0, out: 'prod: no drift; the fleet is what was released' });
  });

  it('drift finds the canary a stopped execution left behind, when a Lambda outage defeats the automatic restore, and exits 1', async () => {
    const r = await run(driftMain, ['--scenario', STOPPED, '--json']);
    expect(r.code).toBe(1);
    const kinds = new Set(JSON.parse(r.out).findings.map((f: { kind: string }) => f.kind));
    expect([...kinds].sort()).toEqual(['image', 'launch-template-version', 'warm-colour']);
  });
});
