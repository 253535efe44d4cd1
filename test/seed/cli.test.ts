import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * `npm run seed`'s choice of environment, spawned as a user runs it. Every case here stops before
 * any AWS call: the environment is refused first.
 */

const ROOT = join(__dirname, '..', '..');
const FOUR_ACCOUNTS = join(ROOT, 'examples', 'four-accounts.json');

function seed(...args: string[]) {
  const out = spawnSync('npx', ['tsx', 'tools/seed/cli.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    // No credentials and no region: a call to AWS would fail differently from what is asserted.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_NO_WARNINGS: '1' },
  });
  return { status: out.status, stdout: out.stdout, stderr: out.stderr };
}

describe('npm run seed --env', () => {
  it('fails when the environment is not one of the --config product, naming the ones it has', () => {
    const run = seed('--config', FOUR_ACCOUNTS, '--env', 'dev');
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe(
      `--env must be one of qa, uat, prod-eu, prod-us (the environments of ${FOUR_ACCOUNTS}), got "dev"`,
    );
  });

  it('fails when the --config file cannot be read, naming it and what to do', () => {
    const run = seed('--config', 'nowhere.json', '--env', 'qa');
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /^config file nowhere\.json does not exist .*; give the path of a product configuration/,
    );
  });
});
