import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { STEP_HANDLERS, STEP_SETTINGS_VARIABLE, stepSettingsOf } from '../../lambda/shared/step-settings';
import { RehearsalSession } from '../../rehearsal/session';
import { synthesizedTemplates } from '../support/templates';

/**
 * Every rollout step is deployed knowing what it acts on: its ROLLOUT_SETTINGS variable, as a
 * deployment resolves it, is exactly its slice of the environment's settings (as the stack
 * describes its deployment), and every function's variables fit in what Lambda accepts. Read
 * through the rehearsal's simulated deployment, which resolves the template as CloudFormation would.
 */
let session: RehearsalSession;
beforeAll(() => {
  session = new RehearsalSession(synthesizedTemplates());
});

/**
 * Lambda refuses a function whose variables (names and values) exceed 4 KB in all.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
 */
const LAMBDA_VARIABLES_BYTES = 4096;

describe.each(['dev', 'staging', 'prod'] as const)('%s', (env) => {
  const functions = () => {
    const d = session.rehearsal(env).deployment;
    return d.ofType('AWS::Lambda::Function').map((id) => ({
      handler: d.resource(id).Metadata?.['immutable:handler'],
      variables: (d.properties(id) as { Environment?: { Variables?: Record<string, unknown> } }).Environment
        ?.Variables,
    }));
  };

  it('each step function carries its own slice of the settings the deployment describes', () => {
    const settings = session.rehearsal(env).settings;
    const steps = functions().filter((f) => (STEP_HANDLERS as readonly unknown[]).includes(f.handler));
    expect(steps.map((s) => s.handler).sort()).toEqual([...STEP_HANDLERS].sort());
    for (const { handler, variables } of steps)
      expect(JSON.parse(String(variables?.[STEP_SETTINGS_VARIABLE]))).toEqual(
        stepSettingsOf(handler as (typeof STEP_HANDLERS)[number], settings),
      );
  });

  it("every function's variables fit in Lambda's 4 KB, with room for longer names and regions", () => {
    for (const { handler, variables } of functions()) {
      const bytes = Object.entries(variables ?? {}).reduce(
        (sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(String(v)),
        0,
      );
      // Half the limit: an account's ARNs, a longer region or environment name, a dozen freeze windows.
      expect({ handler, bytes: Math.min(bytes, LAMBDA_VARIABLES_BYTES / 2) }).toEqual({ handler, bytes });
    }
  });
});

it('every step handler reads its settings from its deployment (stepConfig), and nothing else does', () => {
  const dir = join(__dirname, '..', '..', 'lambda', 'handlers');
  const using = readdirSync(dir)
    .filter((f) => readFileSync(join(dir, f), 'utf8').includes('stepConfig('))
    .map((f) => f.replace(/\.ts$/, ''));
  expect(using.sort()).toEqual([...STEP_HANDLERS].sort());
});
