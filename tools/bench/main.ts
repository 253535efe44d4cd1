/**
 * Benchmarks: rollout overhead against the fleet-physics floor (rehearsal, simulated clock), how
 * fast a prod canary that regresses mid-step loses its traffic, a release train's lead time
 * against its floor,
 * Step Functions transitions and API calls; each handler's bundle and cold init against the same
 * handler bundled as NodejsFunction would by default; and `cdk synth` of the app against a
 * one-bucket app. Absolute times differ up to threefold between machines, so every timing comes
 * with a baseline measured in the same run, and the ratio is the figure to compare.
 *
 *   npm run bench                 tables on stdout
 *   npm run -s bench -- --json    one JSON object on stdout (progress goes to stderr)
 */
import { join } from 'node:path';
import { prepareRehearsalProcess } from '../../rehearsal/process';
import { exitStatusHelp } from '../cli/exit-status';
import { runAsProgram } from '../cli/run-command';
import type { Command } from '../cli/run-command';
import { bundleFigures } from './bundles';
import { rolloutFigures } from './rollouts';
import { safetyFigures } from './safety';
import { log, round } from './stats';
import { synthFigures } from './synth';
import { trainFigures } from './train';

const ROOT = join(__dirname, '..', '..');
const SIZES = [4, 20, 100, 1000];
/** dev / staging / prod instances of each rehearsed train. */
const TRAIN_SIZES = [
  [2, 4, 6],
  [4, 20, 100],
] as const;
const ENVIRONMENT = 'prod';
const INIT_RUNS = 7;
const SYNTH_RUNS = 3;

export const BENCH_USAGE = `Benchmarks: rollouts and release trains rehearsed against their fleet-physics floor, how fast a
regressing prod canary loses its traffic, handler bundles and cold init against NodejsFunction's
defaults, and cdk synth against a one-bucket app. Every timing comes with a baseline measured in the
same run; the ratio is the figure to compare between machines. Takes a few minutes.

usage: npm run bench                 tables on stdout, progress on stderr
       npm run -s bench -- --json    one JSON object on stdout (-s: without npm's "> bench" line)

${exitStatusHelp({ ok: 'measured' })}`;

const options = { json: { type: 'boolean' } } as const;

export const benchCommand: Command<typeof options> = {
  script: 'bench',
  usage: BENCH_USAGE,
  options,
  run: ({ values }, io) => bench(values.json ?? false, io.out),
};

async function bench(json: boolean, out: (line: string) => void): Promise<void> {
  // Before the rehearsal loads: the handlers it runs read the process defaults when they load.
  prepareRehearsalProcess();
  const { synthesizeProductTemplates } = await import('../../rehearsal/synth.js');
  log('synthesizing the app for the rehearsals (bundling off)…');
  const templates = synthesizeProductTemplates();
  log(`rollouts of the ${ENVIRONMENT} workflow (rehearsal, simulated clock)…`);
  const rollouts = await rolloutFigures(templates, ENVIRONMENT, SIZES);
  log('a prod canary that regresses mid-step (rehearsal, simulated clock)…');
  const safety = await safetyFigures(templates);
  log('release trains, dev → staging → prod (rehearsal, simulated clock)…');
  const trains = await trainFigures(templates, TRAIN_SIZES);
  log('handler bundles: deployed against NodejsFunction defaults…');
  const bundles = bundleFigures(ROOT, INIT_RUNS);
  log('cdk synth: the app against a one-bucket app…');
  const synth = synthFigures(ROOT, SYNTH_RUNS);
  const report = { rollouts, safety, trains, bundles, ...synth };
  if (json) {
    out(JSON.stringify(report, null, 2));
    return;
  }
  console.log(
    `\nRollouts of the ${ENVIRONMENT} workflow (rehearsal; ratio = simulated / fleet-physics floor)`,
  );
  console.table(rollouts);
  console.log(
    'A prod canary regressing half-way through its 50 % step (rehearsal; seconds until no traffic on the canary, ' +
      'from the first canary alarm in ALARM and from the onset; null: no alarm went off first)',
  );
  console.table(safety.regressions);
  console.log('The healthy prod canary: its cost in state transitions');
  console.table([safety.healthy]);
  console.log(
    'Release trains, factory AVAILABLE → prod released (rehearsal; ratio = lead time / floor of canaries and soaks; approval wait left out)',
  );
  console.table(trains);
  console.log(
    'Handler bundles (deployed: ESM, minified, SDK bundled and tree-shaken; baseline: NodejsFunction defaults; ' +
      `init = median of ${INIT_RUNS} fresh processes each)`,
  );
  console.table(
    bundles.map((b) => ({
      ...b,
      kib: round(b.bytes / 1024, 1),
      baselineKib: round(b.baselineBytes / 1024, 1),
    })),
  );
  console.log(
    `cdk synth, all stacks: median ${synth.synthSeconds} s against ${synth.synthBaselineSeconds} s for a one-bucket app ` +
      `(ratio ${synth.synthRatio}, ${SYNTH_RUNS} runs each)`,
  );
}

// Run only as a program, not when a test imports the command.
if (require.main === module) runAsProgram(benchCommand);
