import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { STEP_HANDLERS } from '../../lib/constructs/functions/handlers';
import { DEPLOYED_RESOURCES_VARIABLE, deployedResourcesOf } from '../../lambda/shared/deployed-resources';
import { RehearsalSession } from '../../rehearsal/session';
import { synthesizedTemplates } from '../support/templates';

/**
 * Every rollout step is deployed knowing what it acts on: its ROLLOUT_RESOURCES variable, as a
 * deployment resolves it, names exactly the resources the state machine's settings name. Read
 * through the rehearsal's simulated deployment, which resolves the template as CloudFormation would.
 */
let session: RehearsalSession;
beforeAll(() => {
  session = new RehearsalSession(synthesizedTemplates());
});

describe.each(['dev', 'staging', 'prod'] as const)('%s', (env) => {
  it('each step function carries its resources, the same the definition embeds', () => {
    const rehearsal = session.rehearsal(env);
    const d = rehearsal.deployment;
    const steps = d
      .ofType('AWS::Lambda::Function')
      .map((id) => ({ id, handler: d.resource(id).Metadata?.['immutable:handler'] }))
      .filter((f): f is { id: string; handler: (typeof STEP_HANDLERS)[number] } =>
        (STEP_HANDLERS as readonly unknown[]).includes(f.handler),
      );
    expect(steps.map((s) => s.handler).sort()).toEqual([...STEP_HANDLERS].sort());
    for (const { id } of steps) {
      const variables = (d.properties(id) as { Environment?: { Variables?: Record<string, unknown> } })
        .Environment?.Variables;
      expect(JSON.parse(String(variables?.[DEPLOYED_RESOURCES_VARIABLE]))).toEqual(
        deployedResourcesOf(rehearsal.settings),
      );
    }
  });
});

it('exactly the step handlers take their resources from the deployment (rolloutStepHandler)', () => {
  const dir = join(__dirname, '..', '..', 'lambda', 'handlers');
  const using = readdirSync(dir)
    .filter((f) => readFileSync(join(dir, f), 'utf8').includes('rolloutStepHandler('))
    .map((f) => f.replace(/\.ts$/, ''));
  expect(using.sort()).toEqual([...STEP_HANDLERS].sort());
});
