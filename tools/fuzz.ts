/**
 * Explore the property tests beyond what CI checks: every test file with a fast-check property,
 * on a new random seed, at least 1,000 cases per property. A failure prints fast-check's report
 * and the command that replays it (PROPERTY_SEED=… PROPERTY_PATH=… npx jest <file> -t <test>).
 *
 *   npm run fuzz                          every property test file
 *   npm run fuzz -- test/reliability      only the files matching a jest path pattern
 *   PROPERTY_RUNS=5000 npm run fuzz       more cases per property
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..');

function propertyTestFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === '.out' ? [] : propertyTestFiles(path);
    return entry.name.endsWith('.test.ts') && readFileSync(path, 'utf8').includes('fc.assert')
      ? [relative(ROOT, path)]
      : [];
  });
}

const args = process.argv.slice(2);
const files = propertyTestFiles(join(ROOT, 'test'));
const patterns = args.filter((a) => !a.startsWith('-'));
const selected = patterns.length ? files.filter((f) => patterns.some((p) => f.includes(p))) : files;
if (selected.length === 0) {
  console.error(`no property test file matches ${patterns.join(' ')}`);
  process.exit(2);
}
console.error(`fuzzing ${selected.length} property test files on a random seed…`);
const run = spawnSync(
  'npx',
  // A thousand rehearsals per property take minutes, beyond the per-test timeout CI uses.
  ['jest', '--testTimeout=3600000', ...args.filter((a) => a.startsWith('-')), ...selected],
  { cwd: ROOT, stdio: 'inherit', env: { ...process.env, FUZZ: '1' } },
);
process.exit(run.status ?? 1);
