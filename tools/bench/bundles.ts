import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildSync } from 'esbuild';
import { BUNDLER, HANDLERS_DIR } from '../../lib/constructs/functions/handler-code';
import { DEPLOYED_HANDLERS } from '../../lib/constructs/functions/handlers';
import { log, median, round } from './stats';

export interface BundleFigure {
  readonly handler: string;
  /** Size of the deployed bundle (ESM, minified, SDK bundled and tree-shaken). */
  readonly bytes: number;
  /** Median cold init of the deployed bundle: load the module, build its clients. */
  readonly initMs: number;
  /** The same handler bundled as NodejsFunction does by default, measured in the same run. */
  readonly baselineBytes: number;
  readonly baselineInitMs: number;
  /** initMs / baselineInitMs. */
  readonly initRatio: number;
}

/**
 * What NodejsFunction builds when left at its defaults for a NODEJS_24_X function: esbuild,
 * CommonJS, target node24, not minified, no plugin, the SDK (and, with the
 * sdkV3ExcludeSmithyPackages flag cdk.json sets, Smithy) left to the runtime.
 * @see https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_lambda_nodejs-readme.html
 */
function bundleAsNodejsFunctionDefault(handler: string, outdir: string): string {
  const outfile = join(outdir, handler, 'index.js');
  mkdirSync(join(outdir, handler), { recursive: true });
  buildSync({
    entryPoints: [join(HANDLERS_DIR, `${handler}.ts`)],
    bundle: true,
    platform: 'node',
    target: 'node24',
    outfile,
    external: ['@aws-sdk/*', '@smithy/*'],
    logLevel: 'error',
  });
  return outfile;
}

/** The environment every probe loads a handler in: what the handlers read at cold start. */
const PROBE_ENV = {
  PATH: process.env.PATH,
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:123456789012:stateMachine:bench',
  SCAN_FAIL_ON_SEVERITY: 'HIGH',
  TABLE_NAME: 'bench',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
};

/** Milliseconds a fresh Node.js process takes to import the file (module load and clients). */
function initOnce(file: string, nodePath?: string): number {
  const url = pathToFileURL(file).href;
  const probe = `const t=performance.now();await import(${JSON.stringify(url)});process.stdout.write(String(performance.now()-t));`;
  const out = spawnSync(process.execPath, ['--input-type=module', '-e', probe], {
    // The baseline's externals resolve from the project's node_modules, as the runtime's SDK would.
    env: { ...PROBE_ENV, ...(nodePath ? { NODE_PATH: nodePath } : {}) },
    encoding: 'utf8',
  });
  if (out.status !== 0) throw new Error(`${file} failed to load: ${out.stderr}`);
  return Number(out.stdout);
}

/** Each handler bundled as deployed and as NodejsFunction's defaults would, loaded alternately. */
export function bundleFigures(root: string, runs: number): BundleFigure[] {
  const dir = mkdtempSync(join(tmpdir(), 'bench-bundles-'));
  try {
    execFileSync(process.execPath, [BUNDLER, join(dir, 'deployed'), ...DEPLOYED_HANDLERS], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    return DEPLOYED_HANDLERS.map((handler) => {
      const deployed = join(dir, 'deployed', handler, 'index.mjs');
      const baseline = bundleAsNodejsFunctionDefault(handler, join(dir, 'baseline'));
      const times = { deployed: [] as number[], baseline: [] as number[] };
      for (let i = 0; i < runs; i++) {
        times.deployed.push(initOnce(deployed));
        times.baseline.push(initOnce(baseline, join(root, 'node_modules')));
      }
      const ms = median(times.deployed);
      const baselineMs = median(times.baseline);
      const figure: BundleFigure = {
        handler,
        bytes: statSync(deployed).size,
        initMs: round(ms, 1),
        baselineBytes: statSync(baseline).size,
        baselineInitMs: round(baselineMs, 1),
        initRatio: round(ms / baselineMs, 2),
      };
      log(`  ${handler}: ${figure.initMs} ms against ${figure.baselineInitMs} ms (${figure.initRatio})`);
      return figure;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
