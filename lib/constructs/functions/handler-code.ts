import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AssetHashType, DockerImage } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';

import { DEPLOYED_HANDLERS } from './handlers';

export const PROJECT_ROOT = join(__dirname, '..', '..', '..');
export const HANDLERS_DIR = join(PROJECT_ROOT, 'lambda', 'handlers');
/** The one bundler: the same script builds deployed assets and the benchmark's bundles. */
export const BUNDLER = join(PROJECT_ROOT, 'tools', 'bundle-handlers.mjs');

let bundled: string | undefined;

/**
 * Build every deployed handler in a single esbuild run the first time any of them is needed
 * during a synth (one run for all functions of all stacks is several times faster than one per
 * function), then hand each asset its own file. CDK caches each asset, so stacks that deploy the
 * same handler reuse it; the build folder goes when the process exits.
 */
function takeBundle(name: string, outputDir: string): void {
  if (!bundled) {
    const dir = mkdtempSync(join(tmpdir(), 'product-handlers-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    execFileSync(process.execPath, [BUNDLER, dir, ...DEPLOYED_HANDLERS], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    bundled = dir;
  }
  for (const file of ['index.mjs', 'index.mjs.map']) {
    const from = join(bundled, name, file);
    if (existsSync(from)) copyFileSync(from, join(outputDir, file));
  }
}

/**
 * A handler's deployment package: lambda/handlers/<name>.ts bundled by tools/bundle-handlers.mjs
 * (esbuild: ESM, minified, SDK bundled and tree-shaken, source maps). The build runs locally
 * (no Docker); the asset hash is the bundle's, so an unchanged handler is not redeployed.
 *
 * This replaces NodejsFunction's bundling because NodejsFunction cannot load an esbuild plugin,
 * and without one the current EC2 client's schemas defeat tree shaking (an 830 KB bundle
 * instead of 250 KB; see the plugin's comment).
 */
export function handlerCode(name: string): lambda.Code {
  return lambda.Code.fromAsset(HANDLERS_DIR, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Never pulled: local bundling always succeeds or throws.
      image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:24-slim'),
      // Distinguishes each handler's bundling in CDK's staging cache.
      environment: { ROLLOUT_HANDLER: name },
      local: {
        tryBundle(outputDir: string): boolean {
          takeBundle(name, outputDir);
          return true;
        },
      },
    },
  });
}
