import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { BUNDLER } from '../lib/constructs/rollout/handler-code';
import { ROLLOUT_HANDLERS } from '../lib/constructs/rollout/rollout-functions';
import { prepareRehearsalProcess } from '../rehearsal/process';
import { parseScenario } from '../rehearsal/scenario';

/**
 * Benchmarks: rollout overhead against the fleet-physics floor (rehearsal, simulated clock),
 * Step Functions transitions and API calls, each handler's bundle size and cold init, and
 * the time `cdk synth` takes. `--json` prints one object on stdout; logs go to stderr.
 */

const SIZES = [4, 20, 100, 1000];
const BENCH_ENVIRONMENT = 'prod';
const INIT_RUNS = 7;
const SYNTH_RUNS = 3;

interface RolloutFigure {
  action: 'phoenix' | 'canary';
  instances: number;
  simulatedSeconds: number;
  floorSeconds: number;
  ratio: number;
  transitions: number;
  transitionsPerMinute: number;
  lambdaInvocations: number;
  apiCalls: number;
}

async function rollouts(): Promise<RolloutFigure[]> {
  // Loaded only now: the handlers the rehearsal runs read the process defaults when they load.
  prepareRehearsalProcess();
  const { Rehearsal } = await import('../rehearsal/runner.js');
  const { synthesizeTemplates } = await import('../rehearsal/synth.js');
  const templates = synthesizeTemplates();
  const rehearsal = Rehearsal.fromTemplate(BENCH_ENVIRONMENT, templates[BENCH_ENVIRONMENT]);
  const boot = rehearsal.settings.expectedBootSeconds;
  const figures: RolloutFigure[] = [];
  for (const action of ['phoenix', 'canary'] as const) {
    for (const instances of SIZES) {
      const scenario = parseScenario({
        environment: BENCH_ENVIRONMENT,
        fleet: { instances, launchSeconds: boot, ageDays: 30 },
        releasedImage: 'ami-0aaaaaaaaaaaaaaaa',
        images: { 'ami-0bbbbbbbbbbbbbbbb': { healthy: true, errorRate: 0.001 } },
        input: action === 'canary' ? { action, imageId: 'ami-0bbbbbbbbbbbbbbbb' } : { action },
      });
      const { result } = await rehearsal.run(scenario);
      if (result.status !== 'SUCCEEDED')
        throw new Error(
          `${action} at ${instances} instances did not succeed: ${result.error ?? ''} ${result.cause ?? ''}`,
        );
      const minutes = result.simulatedSeconds / 60;
      figures.push({
        action,
        instances,
        simulatedSeconds: result.simulatedSeconds,
        floorSeconds: result.floorSeconds,
        ratio: round(result.simulatedSeconds / Math.max(1, result.floorSeconds), 3),
        transitions: result.transitions,
        transitionsPerMinute: round(result.transitions / Math.max(1 / 60, minutes), 2),
        lambdaInvocations: result.lambdaInvocations,
        apiCalls: Object.values(result.apiCalls).reduce((a, b) => a + b, 0),
      });
      log(`  ${action} × ${instances}: ${result.simulatedSeconds} s (floor ${result.floorSeconds} s)`);
    }
  }
  return figures;
}

/** Each handler bundled exactly as deployed, its size, and the median time to load it and build its clients. */
function bundles(): Array<{ handler: string; bytes: number; initMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-bundles-'));
  try {
    execFileSync(process.execPath, [BUNDLER, dir, ...ROLLOUT_HANDLERS], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    return ROLLOUT_HANDLERS.map((handler) => {
      const outfile = join(dir, handler, 'index.mjs');
      const bytes = statSync(outfile).size;
      const url = pathToFileURL(outfile).href;
      const probe = `const t=performance.now();await import(${JSON.stringify(url)});process.stdout.write(String(performance.now()-t));`;
      const times = Array.from({ length: INIT_RUNS }, () => {
        const out = spawnSync(process.execPath, ['--input-type=module', '-e', probe], {
          env: {
            PATH: process.env.PATH,
            AWS_REGION: 'eu-west-1',
            AWS_ACCESS_KEY_ID: 'bench',
            AWS_SECRET_ACCESS_KEY: 'bench',
            STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:123456789012:stateMachine:bench',
            SCAN_FAIL_ON_SEVERITY: 'HIGH',
            TABLE_NAME: 'bench',
            POWERTOOLS_LOG_LEVEL: 'SILENT',
          },
          encoding: 'utf8',
        });
        if (out.status !== 0) throw new Error(`${handler} failed to load: ${out.stderr}`);
        return Number(out.stdout);
      });
      log(`  ${handler}: ${(bytes / 1024).toFixed(0)} KiB`);
      return { handler, bytes, initMs: round(median(times), 1) };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Median wall time of `cdk synth` (all environments, bundling on, validation and cdk-nag on). */
function synthSeconds(): number {
  const times = Array.from({ length: SYNTH_RUNS }, (_, i) => {
    const out = mkdtempSync(join(tmpdir(), 'bench-synth-'));
    const started = process.hrtime.bigint();
    try {
      execFileSync('npx', ['cdk', 'synth', '--quiet', '--output', out], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
    const s = Number(process.hrtime.bigint() - started) / 1e9;
    log(`  synth ${i + 1}: ${s.toFixed(1)} s`);
    return s;
  });
  return round(median(times), 2);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { json: { type: 'boolean', default: false } }, strict: true });
  log('rollouts (rehearsal, simulated clock)…');
  const rolloutFigures = await rollouts();
  log('handler bundles…');
  const bundleFigures = bundles();
  log('synth…');
  const synth = synthSeconds();
  const report = { rollouts: rolloutFigures, bundles: bundleFigures, synthSeconds: synth };
  if (values.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  console.log('\nRollouts (rehearsal of the staging workflow; ratio = simulated / fleet-physics floor)');
  console.table(rolloutFigures);
  console.log('Handler bundles (ESM, minified, SDK bundled; init = median of fresh processes)');
  console.table(bundleFigures.map((b) => ({ ...b, kib: round(b.bytes / 1024, 1) })));
  console.log(`cdk synth, all environments: median ${synth} s over ${SYNTH_RUNS} runs`);
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};
const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;
const log = (message: string) => process.stderr.write(`${message}\n`);

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
