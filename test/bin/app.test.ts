import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir } from '../support/synth';

/**
 * bin/app.ts as `cdk synth` runs it: the CLI hands the app its context (`-c config=FILE`) in
 * CDK_CONTEXT_JSON and its output folder in CDK_OUTDIR.
 */

const ROOT = join(__dirname, '..', '..');

describe('cdk synth -c config=FILE', () => {
  it('fails when the file is missing, saying what and where, without a stack trace', () => {
    const outdir = scratchDir();
    try {
      const run = spawnSync('npx', ['tsx', 'bin/app.ts'], {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 60_000,
        env: {
          ...process.env,
          NODE_NO_WARNINGS: '1',
          CDK_OUTDIR: outdir,
          CDK_CONTEXT_JSON: JSON.stringify({ config: 'layouts/nowhere.json' }),
        },
      });
      expect(run.status).toBe(1);
      expect(run.stderr).toBe(
        'The product configuration cannot be used:\n' +
          `config file layouts/nowhere.json does not exist (no file at ${join(ROOT, 'layouts', 'nowhere.json')}); ` +
          'give the path of a product configuration in JSON (examples/ holds some), or leave it out for the shipped one\n',
      );
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
