import { readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { UsageError } from '../tools/cli/command-line';
import { exitStatusHelp } from '../tools/cli/exit-status';
import { runAsProgram } from '../tools/cli/run-command';
import type { Command } from '../tools/cli/run-command';
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

export const REHEARSE_USAGE = `Rehearse a rollout locally: the synthesized state machines, the real handlers, a simulated fleet.

usage: npm run rehearse                                      run the built-in demos and print their timelines
       npm run rehearse -- --scenario FILE.json              run one scenario and print its timeline
       npm run -s rehearse -- --scenario FILE.json --json    print the result object only (logs go to stderr;
                                                             -s keeps npm's "> rehearse" lines off stdout)
       npm run rehearse -- --scenario FILE.json --svg OUT.svg   also draw the timeline
       npm run rehearse -- --config PRODUCT.json …            rehearse that product configuration (as cdk synth -c config=)

A scenario names one "environment", or a "train" of environments rehearsed together (the image
factory's bake promoted from one to the next, approvals included), of the shipped product or the
one --config names; its environments are the ones scenarios may name. Each stack runs in the
account and region the configuration pins it to (stacks it leaves unpinned share one simulated
account and region), with the buses, policies and image sharing between them.

${exitStatusHelp({ ok: "the scenario ran, whatever the rollout's outcome" })}`;

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

const options = {
  scenario: { type: 'string' },
  json: { type: 'boolean' },
  svg: { type: 'string' },
  config: { type: 'string' },
} as const;

export const rehearseCommand: Command<typeof options> = {
  script: 'rehearse',
  usage: REHEARSE_USAGE,
  options,
  run: ({ values }, io) => rehearse(values, io.out, io.err),
};

async function rehearse(
  values: {
    readonly scenario?: string;
    readonly json?: boolean;
    readonly svg?: string;
    readonly config?: string;
  },
  out: (text: string) => void,
  log: (message: string) => void,
): Promise<void> {
  if ((values.json || values.svg) && !values.scenario)
    throw new UsageError('--json and --svg need --scenario FILE.json');
  const json = values.json ?? false;
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
  const session = new RehearsalSession(templates);
  let trains: InstanceType<typeof TrainRehearsal> | undefined;
  for (const loaded of scenarios) {
    const { title } = loaded;
    if (loaded.kind === 'train') {
      log(`rehearsing ${title}: ${loaded.scenario.train.join(' → ')}…`);
      trains ??= new TrainRehearsal(templates);
      const run = await trains.run(loaded.scenario);
      print(
        out,
        json,
        run.result,
        () => `\n=== ${title} (${loaded.scenario.train.join(' → ')}) ===\n${formatTrainTimeline(run)}`,
      );
      if (values.svg) writeSvg(values.svg, renderTrainSvg(run, title), log);
    } else {
      const env = loaded.scenario.environment;
      log(`rehearsing ${title} in ${env}…`);
      const run: RehearsalRun = await session.run(loaded.scenario);
      print(out, json, run.result, () => `\n=== ${title} (${env}) ===\n${formatTimeline(run)}`);
      if (values.svg) writeSvg(values.svg, renderSvg(run, title), log);
    }
  }
}

/** `--json` prints the result object and nothing else on stdout; otherwise the timeline. */
function print(
  out: (text: string) => void,
  json: boolean,
  result: RehearsalRun['result'] | TrainRun['result'],
  timeline: () => string,
): void {
  out(json ? JSON.stringify(result, null, 2) : timeline());
}

function writeSvg(file: string, svg: string, log: (message: string) => void): void {
  writeFileSync(file, svg);
  log(`timeline picture written to ${file}`);
}

const demoTitle = (file: string) => basename(file, '.json').replace(/^\d+-/, '').replace(/-/g, ' ');

// Run only as a program, not when a test imports the command.
if (require.main === module) runAsProgram(rehearseCommand);
