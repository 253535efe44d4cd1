import { readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import type { RehearsalRun } from './runner';
import { parseScenario, readScenarioJson } from './scenario';
import type { Scenario } from './scenario';
import { prepareRehearsalProcess } from './process';
import { formatTimeline, renderSvg } from './timeline';
import type { TrainRun } from './train/runner';
import { isTrainScenario, parseTrainScenario } from './train/scenario';
import type { TrainScenario } from './train/scenario';
import { renderTrainSvg } from './train/svg';
import { formatTrainTimeline } from './train/timeline';

const USAGE = `Rehearse a rollout locally: the synthesized state machines, the real handlers, a simulated fleet.

  npm run rehearse                                   run the built-in demos and print their timelines
  npm run rehearse -- --scenario FILE.json           run one scenario and print its timeline
  npm run rehearse -- --scenario FILE.json --json    print the result object only (logs go to stderr)
  npm run rehearse -- --scenario FILE.json --svg OUT.svg   also draw the timeline
  npm run rehearse -- --config PRODUCT.json ...      rehearse that product configuration (as cdk synth -c config=)

A scenario names one "environment", or a "train" of environments rehearsed together (the image
factory's bake promoted from one to the next, approvals included), of the shipped product or the
one --config names; its environments are the ones scenarios may name. The rehearsal simulates one
account and region: a configuration's accounts and regions are set aside, with a note saying so.

Exit status: 0 when the scenario ran (whatever the rollout's outcome), 1 when it could not run.`;

type Loaded =
  | { readonly kind: 'environment'; readonly title: string; readonly scenario: Scenario }
  | { readonly kind: 'train'; readonly title: string; readonly scenario: TrainScenario };

/** A scenario file, as the environment or the train it describes. */
function load(file: string, title: string): Loaded {
  const raw = readScenarioJson(file);
  return isTrainScenario(raw)
    ? { kind: 'train', title, scenario: parseTrainScenario(raw, file) }
    : { kind: 'environment', title, scenario: parseScenario(raw, file) };
}

const DEMOS = join(__dirname, 'demos');

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      scenario: { type: 'string' },
      json: { type: 'boolean', default: false },
      svg: { type: 'string' },
      config: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if ((values.json || values.svg) && !values.scenario) {
    console.error('--json and --svg need --scenario FILE.json');
    return 1;
  }
  const scenarios: Loaded[] = values.scenario
    ? [load(values.scenario, basename(values.scenario, '.json'))]
    : readdirSync(DEMOS)
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => load(join(DEMOS, f), demoTitle(f)));

  log('synthesizing the app (bundling off)…');
  // Loaded only now: the handlers it runs read the process defaults when their modules load.
  prepareRehearsalProcess();
  const { RehearsalSession } = await import('./session.js');
  const { TrainRehearsal } = await import('./train/runner.js');
  const { synthesizeProductTemplates } = await import('./synth.js');
  const templates = synthesizeProductTemplates({
    ...(values.config ? { configFile: values.config } : {}),
    log,
  });
  const session = new RehearsalSession(templates.environments);
  let trains: InstanceType<typeof TrainRehearsal> | undefined;
  for (const loaded of scenarios) {
    const { title } = loaded;
    if (loaded.kind === 'train') {
      log(`rehearsing ${title}: ${loaded.scenario.train.join(' → ')}…`);
      trains ??= new TrainRehearsal(templates);
      const run = await trains.run(loaded.scenario);
      print(
        values.json,
        run.result,
        () => `\n=== ${title} (${loaded.scenario.train.join(' → ')}) ===\n${formatTrainTimeline(run)}`,
      );
      if (values.svg) writeSvg(values.svg, renderTrainSvg(run, title));
    } else {
      const env = loaded.scenario.environment;
      log(`rehearsing ${title} in ${env}…`);
      const run: RehearsalRun = await session.run(loaded.scenario);
      print(values.json, run.result, () => `\n=== ${title} (${env}) ===\n${formatTimeline(run)}`);
      if (values.svg) writeSvg(values.svg, renderSvg(run, title));
    }
  }
  return 0;
}

/** `--json` prints the result object and nothing else on stdout; otherwise the timeline. */
function print(
  json: boolean | undefined,
  result: RehearsalRun['result'] | TrainRun['result'],
  timeline: () => string,
): void {
  if (json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else console.log(timeline());
}

function writeSvg(file: string, svg: string): void {
  writeFileSync(file, svg);
  log(`timeline picture written to ${file}`);
}

const demoTitle = (file: string) => basename(file, '.json').replace(/^\d+-/, '').replace(/-/g, ' ');
const log = (message: string) => process.stderr.write(`${message}\n`);

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    const err = e instanceof Error ? e : new Error(String(e));
    process.stderr.write(`rehearse: ${err.name === 'Error' ? '' : `${err.name}: `}${err.message}\n`);
    process.exitCode = 1;
  },
);
