/**
 * Benchmarks: rollout overhead against the fleet-physics floor (rehearsal, simulated clock), a
 * release train's lead time against its floor,
 * Step Functions transitions and API calls; each handler's bundle and cold init against the same
 * handler bundled as NodejsFunction would by default; and `cdk synth` of the app against a
 * one-bucket app. Absolute times differ up to threefold between machines, so every timing comes
 * with a baseline measured in the same run, and the ratio is the figure to compare.
 *
 *   npm run bench              tables on stdout
 *   npm run bench -- --json    one JSON object on stdout (progress goes to stderr)
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { prepareRehearsalProcess } from '../../rehearsal/process';
import { bundleFigures } from './bundles';
import { rolloutFigures } from './rollouts';
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

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { json: { type: 'boolean', default: false } }, strict: true });
  // Before the rehearsal loads: the handlers it runs read the process defaults when they load.
  prepareRehearsalProcess();
  const { synthesizeProductTemplates } = await import('../../rehearsal/synth.js');
  log('synthesizing the app for the rehearsals (bundling off)…');
  const templates = synthesizeProductTemplates();
  log(`rollouts of the ${ENVIRONMENT} workflow (rehearsal, simulated clock)…`);
  const rollouts = await rolloutFigures(templates, ENVIRONMENT, SIZES);
  log('release trains, dev → staging → prod (rehearsal, simulated clock)…');
  const trains = await trainFigures(templates, TRAIN_SIZES);
  log('handler bundles: deployed against NodejsFunction defaults…');
  const bundles = bundleFigures(ROOT, INIT_RUNS);
  log('cdk synth: the app against a one-bucket app…');
  const synth = synthFigures(ROOT, SYNTH_RUNS);
  const report = { rollouts, trains, bundles, ...synth };
  if (values.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  console.log(
    `\nRollouts of the ${ENVIRONMENT} workflow (rehearsal; ratio = simulated / fleet-physics floor)`,
  );
  console.table(rollouts);
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

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
