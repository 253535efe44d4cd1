import type { ParseArgsOptionsConfig } from 'node:util';
import { BENCH_USAGE, benchCommand } from '../../tools/bench/main';
import { parseCommandLine } from '../../tools/cli/command-line';
import { runCommand } from '../../tools/cli/run-command';
import type { Command } from '../../tools/cli/run-command';
import { FUZZ_USAGE, fuzzCommand } from '../../tools/fuzz';

/**
 * The command lines of the tools that take minutes to run (bench) or spawn jest (fuzz): their
 * help and usage errors, which stop before any work starts.
 */
async function run<O extends ParseArgsOptionsConfig>(command: Command<O>, args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCommand(command, args, { out: (l) => out.push(l), err: (l) => err.push(l), env: {} });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('npm run bench', () => {
  it('--help prints the usage and exits 0, without benchmarking', async () => {
    expect(await run(benchCommand, ['--help'])).toEqual({ code: 0, out: BENCH_USAGE, err: '' });
    expect(BENCH_USAGE).toContain('npm run -s bench -- --json');
  });

  it('fails with 2 on an unknown flag, suggesting --json, before benchmarking', async () => {
    const r = await run(benchCommand, ['--jsn']);
    expect(r).toMatchObject({ code: 2, out: '' });
    expect(r.err).toBe(`bench: unknown flag --jsn (did you mean --json?)\n\n${BENCH_USAGE}`);
  });
});

describe('npm run fuzz', () => {
  it('--help prints the usage and exits 0, without starting jest', async () => {
    expect(await run(fuzzCommand, ['--help'])).toEqual({ code: 0, out: FUZZ_USAGE, err: '' });
  });

  it('fails with 2 on a flag jest does not know, suggesting the one it does', async () => {
    const r = await run(fuzzCommand, ['--bal']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('fuzz: unknown flag --bal (did you mean --bail?)');
  });

  it('fails with 2 when no property test file matches the pattern', async () => {
    const r = await run(fuzzCommand, ['no/such/folder']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('fuzz: no property test file matches no/such/folder');
  });

  it("takes jest's flags in jest's forms, and hands them on as given", () => {
    const args = ['--bail', '-t', 'a name', '--test-timeout=5', '--no-cache', 'test/reliability'];
    const parsed = parseCommandLine(fuzzCommand, args, {});
    expect(parsed.positionals).toEqual(['test/reliability']);
    expect(parsed.flagArgs).toEqual(['--bail', '-t', 'a name', '--test-timeout=5', '--no-cache']);
  });
});
