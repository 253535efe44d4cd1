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
import type { ParseArgsOptionsConfig } from 'node:util';
import { yargsOptions } from 'jest-cli';
import { UsageError } from './cli/command-line';
import { exitStatusHelp } from './cli/exit-status';
import { runAsProgram } from './cli/run-command';
import type { Command } from './cli/run-command';

const ROOT = join(__dirname, '..');

export const FUZZ_USAGE = `Explore the property tests beyond what CI checks: every test file with a fast-check property, on
a new random seed, at least 1,000 cases per property; a failure prints the command that replays it.

usage: npm run fuzz [-- <test path pattern>…] [-- <jest flags>]
       PROPERTY_RUNS=5000 npm run fuzz      more cases per property

  <test path pattern>   only the property test files whose path contains it, e.g. test/reliability
  <jest flags>          passed to jest, e.g. --bail or -t "<test name>"

${exitStatusHelp({ ok: 'every property held', failed: 'a property failed (its replay command is printed)' })}`;

/**
 * Jest's own flags, as jest declares them, so a misspelt one is named here rather than passed on;
 * their values are checked by jest.
 */
function jestOptions(): ParseArgsOptionsConfig {
  const options: ParseArgsOptionsConfig = {};
  for (const [name, o] of Object.entries(yargsOptions)) {
    const type = o.type === 'boolean' ? 'boolean' : 'string';
    const aliases = typeof o.alias === 'string' ? [o.alias] : (o.alias ?? []);
    const short = aliases.find((a) => a.length === 1);
    options[name] = { type, multiple: type === 'string' && o.type === 'array', ...(short ? { short } : {}) };
    // yargs also takes every flag in kebab case, and long aliases such as --env.
    const kebab = name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    for (const long of [kebab, ...aliases.filter((a) => a.length > 1)])
      if (long !== name) options[long] = { type, multiple: type === 'string' && o.type === 'array' };
  }
  return options;
}

function propertyTestFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === '.out' ? [] : propertyTestFiles(path);
    return entry.name.endsWith('.test.ts') && readFileSync(path, 'utf8').includes('fc.assert')
      ? [relative(ROOT, path)]
      : [];
  });
}

export const fuzzCommand: Command<ParseArgsOptionsConfig> = {
  script: 'fuzz',
  usage: FUZZ_USAGE,
  options: jestOptions(),
  positionals: true,
  allowNegative: true,
  detectNpmKeptFlags: false,
  run({ positionals, flagArgs }, io) {
    const files = propertyTestFiles(join(ROOT, 'test'));
    const selected = positionals.length ? files.filter((f) => positionals.some((p) => f.includes(p))) : files;
    if (selected.length === 0) throw new UsageError(`no property test file matches ${positionals.join(' ')}`);
    io.err(`fuzzing ${selected.length} property test files on a random seed…`);
    const run = spawnSync(
      'npx',
      // A thousand rehearsals per property take minutes, beyond the per-test timeout CI uses.
      ['jest', '--testTimeout=3600000', ...flagArgs, ...selected],
      { cwd: ROOT, stdio: 'inherit', env: { ...io.env, FUZZ: '1' } },
    );
    // Jest exits 1 when a test failed: a property that did not hold is this command's answer.
    return run.status ?? 3;
  },
};

if (require.main === module) runAsProgram(fuzzCommand);
