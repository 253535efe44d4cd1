import type { EnvironmentName } from '../../lambda/shared/environments';
import { UsageError } from '../cli/command-line';
import type { Parsed } from '../cli/command-line';
import { EXIT, exitStatusHelp } from '../cli/exit-status';
import { runCommand } from '../cli/run-command';
import { CONFIG_FLAG_HELP, regionOf, selectEnvironments } from '../configured-environments';
import { driftReport, formatDrift, formatStatus, statusReport } from './report';
import { viewAfterScenario } from './scenario';
import type { TemplateSource } from './scenario';
import { awsClients, viewEnvironment } from './world';
import type { EnvironmentView } from './world';

export const STATUS_USAGE = `Show what runs where: the released image (age, lineage), the previous one, the live colour and
weights, instances per image, the oldest instance, the lock holder and the last rollouts. Read-only.

usage: npm run status -- --env <environment>|all [--region <region>] [--json] [--config FILE]
       npm run status -- --scenario FILE.json [--json] [--config FILE]   (the world a rehearsal of FILE leaves)

  --region  where to look (default: each environment's pinned region, else AWS_REGION or your profile's)
  ${CONFIG_FLAG_HELP}

${exitStatusHelp({ ok: 'shown' })}`;

export const DRIFT_USAGE = `Find where a fleet is not what was released: instances off the released AMI or off their
group's recorded launch-template version, runtime parameters that disagree with the ledger, weights
split with no rollout holding the lock, an idle colour past its warm window, AMIs without lineage
tags, tainted instances still serving. Read-only.

usage: npm run drift -- --env <environment> [--region <region>] [--json] [--config FILE]
       npm run drift -- --scenario FILE.json [--json] [--config FILE]   (the world a rehearsal of FILE leaves)

  --region  where to look (default: the environment's pinned region, else AWS_REGION or your profile's)
  ${CONFIG_FLAG_HELP}

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
  config: { type: 'string' },
} as const;

interface Target {
  readonly envs: readonly EnvironmentName[];
  /** Where each environment is read: --region, else the region it is pinned to, else the SDK's choice. */
  readonly regions: Readonly<Record<EnvironmentName, string | undefined>>;
  readonly json: boolean;
  readonly scenario?: string;
  readonly config?: string;
}

/** What to look at, from the flags; a UsageError when they do not say. */
function target(values: Parsed<typeof options>['values'], allowAll: boolean, env: NodeJS.ProcessEnv): Target {
  const json = values.json ?? false;
  const config = values.config !== undefined ? { config: values.config } : {};
  if (values.scenario !== undefined) {
    if (values.env !== undefined || values.region !== undefined)
      throw new UsageError('--scenario runs against the rehearsed world: leave out --env and --region');
    return { envs: [], regions: {}, json, scenario: values.scenario, ...config };
  }
  const { configured, environments } = selectEnvironments(values, { all: allowAll, env });
  const regions = Object.fromEntries(environments.map((e) => [e, regionOf(configured, e, values.region)]));
  return { envs: environments, regions, json, ...config };
}

async function views(p: Target, d: CliDeps): Promise<EnvironmentView[]> {
  if (p.scenario) return [(await viewAfterScenario(p.scenario, d.err, () => d.templates(p.config))).view];
  const out: EnvironmentView[] = [];
  for (const env of p.envs)
    out.push(await viewEnvironment(env, { clients: awsClients(p.regions[env]), now: d.now() }));
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
        const p = target(values, true, io.env);
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
        const p = target(values, false, io.env);
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
