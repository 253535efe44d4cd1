import { readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import type { RehearsalRun } from './runner';
import { loadScenarioFile } from './scenario';
import type { Scenario } from './scenario';
import { prepareRehearsalProcess } from './process';
import { formatTimeline, renderSvg } from './timeline';

const USAGE = `Rehearse a rollout locally: the synthesized state machine, the real handlers, a simulated fleet.

  npm run rehearse                                   run the built-in demos and print their timelines
  npm run rehearse -- --scenario FILE.json           run one scenario and print its timeline
  npm run rehearse -- --scenario FILE.json --json    print the result object only (logs go to stderr)
  npm run rehearse -- --scenario FILE.json --svg OUT.svg   also draw the timeline

Exit status: 0 when the scenario ran (whatever the rollout's outcome), 1 when it could not run.`;

const DEMOS = join(__dirname, 'demos');

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      scenario: { type: 'string' },
      json: { type: 'boolean', default: false },
      svg: { type: 'string' },
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
  const scenarios: Array<[string, Scenario]> = values.scenario
    ? [[basename(values.scenario, '.json'), loadScenarioFile(values.scenario)]]
    : readdirSync(DEMOS)
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => [demoTitle(f), loadScenarioFile(join(DEMOS, f))]);

  log('synthesizing the app (bundling off)…');
  // Loaded only now: the handlers it runs read the process defaults when their modules load.
  prepareRehearsalProcess();
  const { RehearsalSession } = await import('./session.js');
  const { synthesizeTemplates } = await import('./synth.js');
  const session = new RehearsalSession(synthesizeTemplates());
  for (const [title, scenario] of scenarios) {
    const env = scenario.environment;
    log(`rehearsing ${title} in ${env}…`);
    const run = await session.run(scenario);
    if (values.json) {
      process.stdout.write(`${JSON.stringify(run.result, null, 2)}\n`);
    } else {
      console.log(`\n=== ${title} (${env}) ===\n${formatTimeline(run)}`);
    }
    if (values.svg) writeSvg(values.svg, run, title);
  }
  return 0;
}

function writeSvg(file: string, run: RehearsalRun, title: string): void {
  writeFileSync(file, renderSvg(run, title));
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
