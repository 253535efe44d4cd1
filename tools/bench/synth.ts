import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { log, median, round } from './stats';

export interface SynthFigure {
  /** Median seconds of `cdk synth` of every stack of the app (bundling, cdk-nag and validation on). */
  readonly synthSeconds: number;
  /** Median seconds of `cdk synth` of a one-bucket app by the same CLI, in the same run. */
  readonly synthBaselineSeconds: number;
  /** synthSeconds / synthBaselineSeconds: what the app costs beyond the CLI's own start. */
  readonly synthRatio: number;
}

const ONE_BUCKET_APP = join(__dirname, 'one-bucket-app.ts');

/** Seconds one `cdk synth` takes, into a fresh output folder (so nothing is reused). */
function synthOnce(root: string, app?: string): number {
  const out = mkdtempSync(join(tmpdir(), 'bench-synth-'));
  const started = process.hrtime.bigint();
  try {
    execFileSync(
      'npx',
      ['cdk', 'synth', '--quiet', '--output', out, ...(app ? ['--app', `npx tsx ${app}`] : [])],
      {
        cwd: root,
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' },
      },
    );
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/**
 * The app's synth against the one-bucket baseline, run alternately so both see the same
 * machine: absolute times differ up to threefold between machines, their ratio much less.
 */
export function synthFigures(root: string, runs: number): SynthFigure {
  const app: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < runs; i++) {
    baseline.push(synthOnce(root, ONE_BUCKET_APP));
    app.push(synthOnce(root));
    log(`  synth ${i + 1}: app ${app[i]?.toFixed(1)} s, one-bucket app ${baseline[i]?.toFixed(1)} s`);
  }
  const synthSeconds = round(median(app), 2);
  const synthBaselineSeconds = round(median(baseline), 2);
  return { synthSeconds, synthBaselineSeconds, synthRatio: round(synthSeconds / synthBaselineSeconds, 2) };
}
