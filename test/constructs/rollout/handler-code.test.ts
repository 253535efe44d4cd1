import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import type { Stack } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { ROLLOUT_HANDLERS } from '../../../lib/constructs/rollout/rollout-functions';
import { configOf, testApp } from '../../support/synth';
import type { TestApp } from '../../support/synth';

/** Ceiling for one handler's bundle: small packages keep cold starts short. */
const MAX_BUNDLE_BYTES = 400 * 1024;

/** The asset folder CDK staged for a function (`asset.<hash>` in the assembly). */
function assetDir(app: TestApp, stack: Stack, fn: lambda.Function): string {
  const code = stack.resolve((fn.node.defaultChild as lambda.CfnFunction).code) as { s3Key: string };
  return join(app.app.outdir, `asset.${code.s3Key.replace(/\.zip$/, '')}`);
}

/** What esbuild reads from a bundle: its module format and its exports. */
function analyse(file: string): { format: string | undefined; exports: string[] } {
  const { metafile } = buildSync({
    entryPoints: [file],
    bundle: false,
    write: false,
    metafile: true,
    format: 'esm',
    logLevel: 'silent',
  });
  const input = Object.values(metafile.inputs)[0];
  const output = Object.values(metafile.outputs)[0];
  return { format: input?.format, exports: output?.exports ?? [] };
}

describe('bundling', () => {
  let app: TestApp;
  afterAll(() => app.cleanup());

  // The only test that bundles: one environment, every handler in one esbuild run.
  it('stages each function as a single ESM index.mjs exporting handler, at most 400 KB', () => {
    app = testApp({ bundling: true, environments: [configOf('dev')] });
    const stack = app.stacks[0];
    if (!stack) throw new Error('no stack');
    app.template('dev');

    const bundles = stack.rollout.functions.all().map((fn) => {
      const file = join(assetDir(app, stack, fn), 'index.mjs');
      const found = existsSync(file);
      return { fn: fn.node.id, found, ...(found ? { bytes: statSync(file).size, ...analyse(file) } : {}) };
    });
    expect(bundles.map((b) => b.fn).sort()).toEqual([...ROLLOUT_HANDLERS].sort());
    for (const b of bundles) {
      expect(b).toEqual({
        fn: b.fn,
        found: true,
        bytes: expect.any(Number) as number,
        format: 'esm',
        // `handler` is what Lambda runs; `configure` and `create` build it (and the rehearsal's).
        exports: ['configure', 'create', 'handler'],
      });
    }
    const outOfBounds = bundles.filter((b) => !b.bytes || b.bytes < 1024 || b.bytes > MAX_BUNDLE_BYTES);
    expect(outOfBounds).toEqual([]);
  });
});
