import { parseArgs } from 'node:util';
import type { EnvironmentName } from '../../lambda/shared/environments';
import { ConfigError } from '../../lib/config';
import { chooseEnvironments, configuredProduct } from '../configured-environments';
import { driftReport, formatDrift, formatStatus, statusReport } from './report';
import { viewAfterScenario } from './scenario';
import type { TemplateSource } from './scenario';
import { viewEnvironment } from './world';
import type { EnvironmentView } from './world';

export const STATUS_USAGE = `Show what runs where: the released image (age, lineage), the previous one, the live colour and
weights, instances per image, the oldest instance, the lock holder and the last rollouts. Read-only.

usage: npm run status -- --env <environment>|all [--region <region>] [--json] [--config FILE]
       npm run status -- --scenario FILE.json [--json] [--config FILE]   (the world a rehearsal of FILE leaves)

--config FILE: the product configuration the environments come from (default: the shipped one)`;

export const DRIFT_USAGE = `Find where a fleet is not what was released: instances off the released AMI or off their
group's recorded launch-template version, runtime parameters that disagree with the ledger, weights
split with no rollout holding the lock, an idle colour past its warm window, AMIs without lineage
tags, tainted instances still serving. Read-only.

usage: npm run drift -- --env <environment> [--region <region>] [--json] [--config FILE]
       npm run drift -- --scenario FILE.json [--json] [--config FILE]   (the world a rehearsal of FILE leaves)

--config FILE: the product configuration the environments come from (default: the shipped one)

exit status: 0 no drift, 1 drift found, 2 a usage error, 3 the check could not run`;

export interface CliDeps {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly now: () => Date;
  /** Where --scenario gets the synthesized templates. */
  readonly templates: TemplateSource;
}

const defaults: CliDeps = {
  out: console.log,
  err: console.error,
  now: () => new Date(),
  templates: () => Promise.reject(new Error('--scenario needs the synthesized templates')),
};

type Parsed =
  | {
      readonly ok: true;
      readonly envs: EnvironmentName[];
      /** Where each environment is read: --region, else the region it is pinned to, else the SDK's choice. */
      readonly regions: Readonly<Record<EnvironmentName, string | undefined>>;
      readonly json: boolean;
      readonly scenario?: string;
      readonly config?: string;
    }
  | { readonly ok: false; readonly code: number };

function parse(argv: string[], usage: string, allowAll: boolean, d: CliDeps): Parsed {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        env: { type: 'string' },
        region: { type: 'string' },
        json: { type: 'boolean', default: false },
        scenario: { type: 'string' },
        config: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }));
  } catch (e) {
    d.err(`${(e as Error).message}\n${usage}`);
    return { ok: false, code: 2 };
  }
  if (values.help) {
    d.out(usage);
    return { ok: false, code: 0 };
  }
  if (values.scenario !== undefined) {
    if (values.env !== undefined || values.region !== undefined) {
      d.err(`--scenario runs against the rehearsed world: leave out --env and --region\n${usage}`);
      return { ok: false, code: 2 };
    }
    return {
      ok: true,
      envs: [],
      regions: {},
      json: values.json,
      scenario: values.scenario,
      ...(values.config ? { config: values.config } : {}),
    };
  }
  let configured;
  try {
    configured = configuredProduct(values.config);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    d.err(e.message);
    return { ok: false, code: 2 };
  }
  const choice = chooseEnvironments(values.env, configured, { all: allowAll });
  if (!choice.ok) {
    d.err(`${choice.message}\n${usage}`);
    return { ok: false, code: 2 };
  }
  const regions = Object.fromEntries(
    configured.product.environments.map((e) => [e.name, values.region ?? e.region]),
  );
  return { ok: true, envs: [...choice.environments], regions, json: values.json };
}

async function views(p: Extract<Parsed, { ok: true }>, d: CliDeps): Promise<EnvironmentView[]> {
  if (p.scenario) return [(await viewAfterScenario(p.scenario, d.err, () => d.templates(p.config))).view];
  const out: EnvironmentView[] = [];
  for (const env of p.envs) {
    const region = p.regions[env];
    out.push(await viewEnvironment(env, { ...(region ? { region } : {}), now: d.now() }));
  }
  return out;
}

/** `npm run status`: 0 shown, 2 a usage error, 3 could not read. */
export async function statusMain(argv: string[], deps: Partial<CliDeps> = {}): Promise<number> {
  const d = { ...defaults, ...deps };
  const p = parse(argv, STATUS_USAGE, true, d);
  if (!p.ok) return p.code;
  try {
    const reports = (await views(p, d)).map(statusReport);
    d.out(
      p.json
        ? JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2)
        : reports.map(formatStatus).join('\n\n'),
    );
    return 0;
  } catch (e) {
    d.err(`could not read the fleet: ${(e as Error).message}`);
    return 3;
  }
}

/** `npm run drift`: 0 no drift, 1 drift found, 2 a usage error, 3 could not check. */
export async function driftMain(argv: string[], deps: Partial<CliDeps> = {}): Promise<number> {
  const d = { ...defaults, ...deps };
  const p = parse(argv, DRIFT_USAGE, false, d);
  if (!p.ok) return p.code;
  try {
    const [view] = await views(p, d);
    if (!view) throw new Error('nothing to check');
    const report = driftReport(view);
    d.out(p.json ? JSON.stringify(report, null, 2) : formatDrift(report));
    return report.findings.length > 0 ? 1 : 0;
  } catch (e) {
    d.err(`could not check for drift: ${(e as Error).message}`);
    return 3;
  }
}
