import type { EnvironmentName } from '../../lambda/shared/environments';
import type { CfnTemplate } from '../../rehearsal/deployment';
import { prepareRehearsalProcess } from '../../rehearsal/process';
import { loadScenarioFile } from '../../rehearsal/scenario';
import { RehearsalSession } from '../../rehearsal/session';
import type { EnvironmentView } from './world';
import { viewEnvironment } from './world';

/**
 * Each environment's synthesized template, of the product in `configFile` (the shipped one when
 * left out): the entry points synthesize the app, tests hand theirs.
 */
export type TemplateSource = (configFile?: string) => Promise<Record<EnvironmentName, CfnTemplate>>;

/**
 * The world a rehearsal leaves: the scenario runs (the synthesized app, the real handlers, the
 * simulated fleet), then the same read-only look runs against that simulated account.
 */
export async function viewAfterScenario(
  file: string,
  log: (line: string) => void,
  templates: TemplateSource,
): Promise<{ readonly environment: EnvironmentName; readonly view: EnvironmentView }> {
  prepareRehearsalProcess();
  const loaded = loadScenarioFile(file);
  log('rehearsing the scenario (the synthesized app, the real handlers, a simulated fleet)…');
  const session = new RehearsalSession(await templates());
  const run = await session.run(loaded);
  const environment = loaded.environment;
  const view = await viewEnvironment(environment, {
    clients: run.simulator.clients(),
    now: run.simulator.now(),
    settings: session.rehearsal(environment).settings,
  });
  return { environment, view };
}
