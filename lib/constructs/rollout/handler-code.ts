import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AssetHashType, DockerImage } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';

export const PROJECT_ROOT = join(__dirname, '..', '..', '..');
export const HANDLERS_DIR = join(PROJECT_ROOT, 'lambda', 'handlers');
/** The one bundler: the same script builds deployed assets and the benchmark's bundles. */
export const BUNDLER = join(PROJECT_ROOT, 'tools', 'bundle-handlers.mjs');

let bundled: { dir: string; names: Set<string>; handedOut: Set<string> } | undefined;

/**
 * Build every requested handler in a single esbuild run the first time any of them is
 * needed during a synth (one run for all functions of all stacks is several times faster
 * than one per function), then hand each asset its own file. The build folder goes once
 * every handler has been handed out (CDK caches each asset, so the other stacks reuse it).
 */
function takeBundle(name: string, names: readonly string[], outputDir: string): void {
  if (!bundled || !bundled.names.has(name)) {
    const dir = mkdtempSync(join(tmpdir(), 'rollout-handlers-'));
    execFileSync(process.execPath, [BUNDLER, dir, ...names], { stdio: ['ignore', 'inherit', 'inherit'] });
    bundled = { dir, names: new Set(names), handedOut: new Set() };
  }
  for (const file of ['index.mjs', 'index.mjs.map']) {
    const from = join(bundled.dir, name, file);
    if (existsSync(from)) copyFileSync(from, join(outputDir, file));
  }
  bundled.handedOut.add(name);
  if (bundled.handedOut.size === bundled.names.size) {
    rmSync(bundled.dir, { recursive: true, force: true });
    bundled = undefined;
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
export function handlerCode(name: string, all: readonly string[]): lambda.Code {
  return lambda.Code.fromAsset(HANDLERS_DIR, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Never pulled: local bundling always succeeds or throws.
      image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:24-slim'),
      // Distinguishes each handler's bundling in CDK's staging cache.
      environment: { ROLLOUT_HANDLER: name },
      local: {
        tryBundle(outputDir: string): boolean {
          takeBundle(name, all, outputDir);
          return true;
        },
      },
    },
  });
}
