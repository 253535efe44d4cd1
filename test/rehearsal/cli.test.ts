import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REHEARSE_USAGE, rehearseCommand } from '../../rehearsal/cli';
import { runCommand } from '../../tools/cli/run-command';
import { scratchDir } from '../support/synth';
import { expectContractShape, expectTimelineSvg } from './contract';

/**
 * The `npm run rehearse` command line. One rehearsal is spawned through npm as a user runs it
 * (it synthesizes the app: seconds); the command line's other answers stop before synthesis and
 * run in this process.
 */

const ROOT = join(__dirname, '..', '..');
const SCENARIOS = join(__dirname, 'scenarios');

/** `npm run -s rehearse -- <args>`: -s keeps npm's "> rehearse" banner off stdout. */
function npmRehearse(...args: string[]) {
  const out = spawnSync('npm', ['run', '-s', 'rehearse', '--', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 90_000,
    // No registry lookup for npm's update notice: the test stays offline.
    env: { ...process.env, NODE_NO_WARNINGS: '1', npm_config_update_notifier: 'false' },
  });
  return { status: out.status, stdout: out.stdout, stderr: out.stderr };
}

/** The command in this process, its output captured. */
async function rehearse(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCommand(rehearseCommand, args, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env: {},
  });
  return { status: code, stdout: out.join('\n'), stderr: err.join('\n') };
}

let dir: string;
beforeAll(() => {
  dir = scratchDir();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run -s rehearse -- --scenario FILE --json --svg OUT', () => {
  let run: ReturnType<typeof npmRehearse>;
  let svg: string;
  beforeAll(() => {
    svg = join(dir, 'regression.svg');
    run = npmRehearse('--scenario', join(SCENARIOS, 'canary-regression.json'), '--json', '--svg', svg);
  });

  it('exits 0: the scenario ran, although its rollout failed', () => {
    expect(run.stderr).not.toContain('rehearse:');
    expect(run.status).toBe(0);
  });

  it('prints exactly one JSON object on stdout, with every field of the contract', () => {
    const printed = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(printed).toEqual(expect.any(Object));
    expectContractShape(printed);
    expect(printed).toMatchObject({
      status: 'FAILED',
      error: 'CanaryFailed',
      live: { image: 'ami-0123456789abcdef0', weights: { blue: 100, green: 0 } },
    });
  });

  it('keeps its progress messages on stderr', () => {
    expect(run.stderr).toContain('synthesizing the app');
    expect(run.stderr).toContain('rehearsing canary-regression in dev');
    expect(run.stdout).not.toContain('synthesizing');
  });

  it('writes the timeline as a valid SVG picture', () => {
    expectTimelineSvg(readFileSync(svg, 'utf8'), {
      images: ['ami-0123456789abcdef0', 'ami-0badbadbadbadbad0'],
      status: 'FAILED (CanaryFailed)',
    });
  });
});

describe('rehearse --config PRODUCT --scenario FILE', () => {
  it('rehearses that product’s environments in the accounts and regions it pins, saying so', async () => {
    const file = join(dir, 'qa-rotation.json');
    writeFileSync(
      file,
      JSON.stringify({
        environment: 'qa',
        fleet: { instances: 2, launchSeconds: 100, ageDays: 12 },
        releasedImage: 'ami-0123456789abcdef0',
        input: { action: 'phoenix', reason: 'weekly rotation', trigger: 'schedule' },
      }),
    );
    const config = join(ROOT, 'examples', 'four-accounts.json');
    const run = await rehearse('--config', config, '--scenario', file, '--json');
    expect(run.stderr).not.toContain('rehearse:');
    expect(run.status).toBe(0);
    expect(run.stderr).toContain(
      `rehearsing ${config} in the accounts and regions it pins: 111111111111/eu-west-1, ` +
        '222222222222/eu-west-1, 333333333333/eu-west-1, 444444444444/us-east-1',
    );
    expect(run.stderr).toContain('rehearsing qa-rotation in qa');
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'SUCCEEDED', instancesReplaced: 2 });
  });
});

describe('rehearse with a scenario it cannot run', () => {
  it('fails with 3 (could not run) when the scenario is malformed, naming each field, before synthesizing', async () => {
    const file = join(dir, 'malformed.json');
    writeFileSync(
      file,
      JSON.stringify({
        environment: 'dev',
        fleet: { instances: 'four' },
        releasedImage: 'ami-0123456789abcdef0',
        input: { action: 'phoenix' },
        faults: [{ atSecond: 0, kind: 'alarm', alarm: '4xx' }],
        requestPerSecond: 100,
      }),
    );
    const run = await rehearse('--scenario', file, '--json');
    expect(run.status).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`${file} is not a valid scenario`);
    expect(run.stderr).toContain('fleet.instances must be a whole number, got "four"');
    expect(run.stderr).toContain('faults.0.alarm must be "5xx", "latency" or "unhealthy-hosts", got "4xx"');
    expect(run.stderr).toContain('requestPerSecond is not a known field');
    expect(run.stderr).not.toContain('synthesizing');
  });

  it('fails with 3 when the scenario file does not exist, naming it', async () => {
    const run = await rehearse('--scenario', join(dir, 'missing.json'));
    expect(run.status).toBe(3);
    expect(run.stderr).toContain('missing.json');
  });
});

describe('rehearse command line', () => {
  it('--help prints the usage, with the exit statuses, and exits 0', async () => {
    expect(await rehearse('--help')).toEqual({ status: 0, stdout: REHEARSE_USAGE, stderr: '' });
    expect(REHEARSE_USAGE).toContain("exit status: 0 the scenario ran, whatever the rollout's outcome");
  });

  it('fails with 2 when --json is given without a scenario', async () => {
    const run = await rehearse('--json');
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('rehearse: --json and --svg need --scenario FILE.json');
    expect(run.stderr).toContain(REHEARSE_USAGE);
  });

  it('fails with 2 on an unknown flag, suggesting the one meant', async () => {
    const run = await rehearse('--senario', 'x.json');
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('rehearse: unknown flag --senario (did you mean --scenario?)');
  });
});

describe("npm's own output", () => {
  // npm ci must show its progress and errors: a project setting that silences npm (loglevel=silent)
  // or turns its output into JSON (json=true) would hide them. The JSON outputs stay clean through
  // npm run -s instead (above).
  it('is not silenced by the project', () => {
    const npmrc = join(ROOT, '.npmrc');
    const settings = existsSync(npmrc) ? readFileSync(npmrc, 'utf8') : '';
    expect(settings).not.toMatch(/^\s*(loglevel\s*=\s*silent|silent\s*=\s*true|json\s*=\s*true)\s*$/m);
  });
});
