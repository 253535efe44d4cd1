import { ENVIRONMENT_NAMES, isEnvironmentName } from '../../lambda/shared/environments';
import type { EnvironmentName } from '../../lambda/shared/environments';
import { UsageError } from '../cli/command-line';
import type { Parsed } from '../cli/command-line';
import { EXIT, exitStatusHelp } from '../cli/exit-status';
import { runCommand } from '../cli/run-command';
import { driftReport, formatDrift, formatStatus, statusReport } from './report';
import { viewAfterScenario } from './scenario';
import type { TemplateSource } from './scenario';
import { awsClients, viewEnvironment } from './world';
import type { EnvironmentView } from './world';

export const STATUS_USAGE = `Show what runs where: the released image (age, lineage), the previous one, the live colour and
weights, instances per image, the oldest instance, the lock holder and the last rollouts. Read-only.

usage: npm run status -- --env <${ENVIRONMENT_NAMES.join('|')}|all> [--region <region>] [--json]
       npm run status -- --scenario FILE.json [--json]   (the world a rehearsal of FILE leaves)

${exitStatusHelp({ ok: 'shown' })}`;

export const DRIFT_USAGE = `Find where a fleet is not what was released: instances off the released AMI or off their
group's recorded launch-template version, runtime parameters that disagree with the ledger, weights
split with no rollout holding the lock, an idle colour past its warm window, AMIs without lineage
tags, tainted instances still serving. Read-only.

usage: npm run drift -- --env <${ENVIRONMENT_NAMES.join('|')}> [--region <region>] [--json]
       npm run drift -- --scenario FILE.json [--json]   (the world a rehearsal of FILE leaves)

${exitStatusHelp({ ok: 'no drift', failed: 'drift found' })}`;

export interface CliDeps {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly now: () => Date;
  /** Where --scenario gets the synthesized templates. */
  readonly templates: TemplateSource;
  /** The process environment (where npm leaves flags it kept). */
  readonly env: NodeJS.ProcessEnv;
}

const defaults: CliDeps = {
  out: console.log,
  err: console.error,
  now: () => new Date(),
  templates: () => Promise.reject(new Error('--scenario needs the synthesized templates')),
  env: process.env,
};

const options = {
  env: { type: 'string' },
  region: { type: 'string' },
  json: { type: 'boolean' },
  scenario: { type: 'string' },
} as const;

interface Target {
  readonly envs: EnvironmentName[];
  readonly region?: string;
  readonly json: boolean;
  readonly scenario?: string;
}

/** What to look at, from the flags; a UsageError when they do not say. */
function target(values: Parsed<typeof options>['values'], allowAll: boolean): Target {
  const json = values.json ?? false;
  if (values.scenario !== undefined) {
    if (values.env !== undefined || values.region !== undefined)
      throw new UsageError('--scenario runs against the rehearsed world: leave out --env and --region');
    return { envs: [], json, scenario: values.scenario };
  }
  const env = values.env;
  const region = values.region ? { region: values.region } : {};
  if (allowAll && env === 'all') return { envs: [...ENVIRONMENT_NAMES], json, ...region };
  if (!isEnvironmentName(env)) {
    const choices = [...ENVIRONMENT_NAMES, ...(allowAll ? ['all'] : [])].join(', ');
    throw new UsageError(`--env must be one of ${choices}, got ${JSON.stringify(env ?? null)}`);
  }
  return { envs: [env], json, ...region };
}

async function views(p: Target, d: CliDeps): Promise<EnvironmentView[]> {
  if (p.scenario) return [(await viewAfterScenario(p.scenario, d.err, d.templates)).view];
  const out: EnvironmentView[] = [];
  for (const env of p.envs)
    out.push(await viewEnvironment(env, { clients: awsClients(p.region), now: d.now() }));
  return out;
}

/** `npm run status`: 0 shown, 2 a usage error, 3 could not read. */
export function statusMain(argv: string[], deps: Partial<CliDeps> = {}): Promise<number> {
  const d = { ...defaults, ...deps };
  return runCommand(
    {
      script: 'status',
      usage: STATUS_USAGE,
      options,
      async run({ values }, io) {
        const p = target(values, true);
        const reports = (await views(p, d)).map(statusReport);
        io.out(
          p.json
            ? JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2)
            : reports.map(formatStatus).join('\n\n'),
        );
      },
    },
    argv,
    d,
  );
}

/** `npm run drift`: 0 no drift, 1 drift found, 2 a usage error, 3 could not check. */
export function driftMain(argv: string[], deps: Partial<CliDeps> = {}): Promise<number> {
  const d = { ...defaults, ...deps };
  return runCommand(
    {
      script: 'drift',
      usage: DRIFT_USAGE,
      options,
      async run({ values }, io) {
        const p = target(values, false);
        const [view] = await views(p, d);
        if (!view) throw new Error('nothing to check');
        const report = driftReport(view);
        io.out(p.json ? JSON.stringify(report, null, 2) : formatDrift(report));
        return report.findings.length > 0 ? EXIT.failed : EXIT.ok;
      },
    },
    argv,
    d,
  );
}
