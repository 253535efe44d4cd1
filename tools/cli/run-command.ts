import type { ParseArgsOptionsConfig } from 'node:util';
import { describeAwsError } from './aws-errors';
import { parseCommandLine, UsageError } from './command-line';
import type { CommandLine, Parsed } from './command-line';
import { EXIT } from './exit-status';

/** Where a command writes and what it reads of its process; tests hand their own. */
export interface CommandIo {
  /** One line of the command's output (stdout). */
  readonly out: (line: string) => void;
  /** One line of progress or error (stderr). */
  readonly err: (line: string) => void;
  readonly env: NodeJS.ProcessEnv;
}

/** An error class whose instances are the command's own answer, not a crash. */
export type Failure = abstract new (...args: never[]) => Error;

export interface Command<O extends ParseArgsOptionsConfig> extends CommandLine<O> {
  /**
   * Errors the command reports as its answer (a refusal, nothing to approve): their message
   * alone, and exit 1.
   * @default none
   */
  readonly failures?: readonly Failure[];
  /** Does the work; returns the exit status (0 when it returns nothing). */
  run(args: Parsed<O>, io: CommandIo): Promise<number | void> | number | void;
}

export const processIo = (): CommandIo => ({
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
});

/**
 * Runs a command line and returns its exit status: 0 or what the command returns, 1 for one of
 * its failures, 2 for a usage error (with the usage), 3 when it could not run. Nothing but the
 * command's own output reaches `out`; every error is one line on `err`, its stack trace only
 * with DEBUG=1.
 */
export async function runCommand<O extends ParseArgsOptionsConfig>(
  command: Command<O>,
  argv: readonly string[],
  io: CommandIo = processIo(),
): Promise<number> {
  try {
    const args = parseCommandLine(command, argv, io.env);
    if (args.values.help) {
      io.out(command.usage);
      return EXIT.ok;
    }
    if ((args.values as { json?: unknown }).json === true) {
      const note = npmBannerNote(command.script, io.env);
      if (note) io.err(note);
    }
    return (await command.run(args, io)) ?? EXIT.ok;
  } catch (error) {
    return reportError(command, error, io);
  }
}

/** Runs a command as the program: its arguments, its stdout and stderr, its exit status. */
export function runAsProgram<O extends ParseArgsOptionsConfig>(command: Command<O>): void {
  void runCommand(command, process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

function reportError<O extends ParseArgsOptionsConfig>(
  command: Command<O>,
  error: unknown,
  io: CommandIo,
): number {
  const say = (line: string) => io.err(`${command.script}: ${line}`);
  if (error instanceof UsageError) {
    say(error.message);
    io.err('');
    io.err(command.usage);
    return EXIT.usage;
  }
  const debug = isDebug(io.env);
  const trace = () => {
    if (debug && error instanceof Error && error.stack) io.err(error.stack);
  };
  if ((command.failures ?? []).some((failure) => error instanceof failure)) {
    say((error as Error).message);
    trace();
    return EXIT.failed;
  }
  const aws = describeAwsError(error);
  say(aws ?? describe(error));
  // An AWS error's line says all there is to do; for anything else the trace may matter.
  if (debug) trace();
  else if (!aws) io.err('(DEBUG=1 shows the stack trace)');
  return EXIT.couldNotRun;
}

/** An unexpected error's class (when it has its own) and message. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message;
}

/**
 * npm prints "> <script>" and the command line on stdout before it runs a script, unless its log
 * level is silent (`npm run -s`) or its json setting is on; a --json output read from
 * `npm run <script>` then starts with those lines. Said on stderr, where it cannot spoil stdout.
 */
export function npmBannerNote(script: string, env: NodeJS.ProcessEnv): string | undefined {
  if (env.npm_lifecycle_event !== script) return undefined;
  if (env.npm_config_loglevel === 'silent' || env.npm_config_json === 'true') return undefined;
  return (
    `${script}: note: npm printed its "> ${script}" lines on stdout ahead of the JSON; ` +
    `npm run -s ${script} -- … prints the JSON alone`
  );
}

/** DEBUG=1 (or any value but 0, false or empty) asks for stack traces. */
export function isDebug(env: NodeJS.ProcessEnv): boolean {
  const value = env.DEBUG?.trim().toLowerCase();
  return value !== undefined && value !== '' && value !== '0' && value !== 'false';
}
