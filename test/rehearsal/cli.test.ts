import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir } from '../support/synth';
import { expectContractShape, expectTimelineSvg } from './contract';

/**
 * The `npm run rehearse` command line, spawned as a user runs it. Each spawn that rehearses
 * synthesizes the app (seconds): four spawns in all, two of which stop before synthesis.
 */

const ROOT = join(__dirname, '..', '..');
const SCENARIOS = join(__dirname, 'scenarios');

function rehearse(...args: string[]) {
  const out = spawnSync('npx', ['tsx', 'rehearsal/cli.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 90_000,
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
  });
  return { status: out.status, stdout: out.stdout, stderr: out.stderr };
}

let dir: string;
beforeAll(() => {
  dir = scratchDir();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('rehearse --scenario FILE --json --svg OUT', () => {
  let run: ReturnType<typeof rehearse>;
  let svg: string;
  beforeAll(() => {
    svg = join(dir, 'regression.svg');
    run = rehearse('--scenario', join(SCENARIOS, 'canary-regression.json'), '--json', '--svg', svg);
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
  it('rehearses that product’s environments, in one simulated account, saying so', () => {
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
    const run = rehearse('--config', config, '--scenario', file, '--json');
    expect(run.stderr).not.toContain('rehearse:');
    expect(run.status).toBe(0);
    expect(run.stderr).toContain(
      `rehearsing ${config} in one simulated account and region: the places it pins (111111111111/eu-west-1, ` +
        '222222222222/eu-west-1, 333333333333/eu-west-1, 444444444444/us-east-1) are set aside',
    );
    expect(run.stderr).toContain('rehearsing qa-rotation in qa');
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'SUCCEEDED', instancesReplaced: 2 });
  });
});

describe('rehearse with a scenario it cannot run', () => {
  it('fails when the scenario is malformed, naming each field, before synthesizing', () => {
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
    const run = rehearse('--scenario', file, '--json');
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`${file} is not a valid scenario`);
    expect(run.stderr).toContain('fleet.instances must be a whole number, got "four"');
    expect(run.stderr).toContain('faults.0.alarm must be "5xx", "latency" or "unhealthy-hosts", got "4xx"');
    expect(run.stderr).toContain('requestPerSecond is not a known field');
    expect(run.stderr).not.toContain('synthesizing');
  });

  it('fails when --json is given without a scenario', () => {
    const run = rehearse('--json');
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('--json and --svg need --scenario FILE.json');
  });
});
