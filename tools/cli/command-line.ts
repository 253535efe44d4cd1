import { parseArgs } from 'node:util';
import type { ParseArgsOptionsConfig } from 'node:util';
import leven from 'leven';

/**
 * One command line's flags, read with node:util's parseArgs, with the mistakes people make named
 * in words: an unknown flag (and the flag it was probably meant to be), a flag without its value,
 * a value given to a switch, a flag given twice, a stray argument, and flags npm kept for itself.
 * (commander or yargs would bring generated help, which hand-written usage texts do not need,
 * and would still leave npm's kept flags, the exit statuses and AWS errors to this code.)
 */
export interface CommandLine<O extends ParseArgsOptionsConfig> {
  /** The npm script that runs the command: `npm run <script> -- …`. */
  readonly script: string;
  /** What `--help` prints, and what a usage error ends with. */
  readonly usage: string;
  /** The flags; `--help`/`-h` is added to every command. */
  readonly options: O;
  /**
   * Whether the command takes arguments that are not flags (a jest path pattern).
   * @default false
   */
  readonly positionals?: boolean;
  /**
   * Whether a switch also reads as `--no-<switch>` (jest's flags do).
   * @default false
   */
  readonly allowNegative?: boolean;
  /**
   * Whether to look for flags npm kept (`npm_config_<flag>`). Off for a command whose flags are
   * another tool's, many of them npm settings as well (jest's --cache, --json, --silent).
   * @default true
   */
  readonly detectNpmKeptFlags?: boolean;
}

/** A mistake in the command line: the command does nothing and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const HELP = { help: { type: 'boolean', short: 'h' } } as const;

type ValueOf<D> = D extends { type: 'boolean' }
  ? D extends { multiple: true }
    ? boolean[]
    : boolean
  : D extends { multiple: true }
    ? string[]
    : string;

/** The flags given (a flag left out is undefined unless its option has a default) and the other arguments. */
export interface Parsed<O extends ParseArgsOptionsConfig> {
  readonly values: { readonly [K in keyof O]?: ValueOf<O[K]> } & { readonly help?: boolean };
  readonly positionals: readonly string[];
  /** The flags as given, each with its value, for a command that hands them on (fuzz to jest). */
  readonly flagArgs: readonly string[];
}

/**
 * The command line's values, or a UsageError saying what is wrong with it. `env` is where npm
 * leaves the flags it kept (`npm run seed --env dev` hands `--env` to npm, not to seed).
 */
export function parseCommandLine<O extends ParseArgsOptionsConfig>(
  command: CommandLine<O>,
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): Parsed<O> {
  const options = { ...command.options, ...HELP };
  const kept = npmKept(command, env);
  if (kept.length > 0) throw new UsageError(npmKeptMessage(command, kept, env, argv));
  const allowNegative = command.allowNegative ?? false;
  const { tokens } = parseArgs({
    args: [...argv],
    options,
    strict: false,
    allowPositionals: true,
    allowNegative,
    tokens: true,
  });
  const seen = new Set<string>();
  const flagArgs: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') {
      if (!command.positionals) throw new UsageError(`unexpected argument ${JSON.stringify(token.value)}`);
      continue;
    }
    const option = options[token.name];
    if (!option) throw new UsageError(`unknown flag ${token.rawName}${suggestion(token.rawName, options)}`);
    if (option.type === 'string' && token.value === undefined)
      throw new UsageError(`${token.rawName} needs a value: ${token.rawName} <value>`);
    if (option.type === 'boolean' && token.value !== undefined)
      throw new UsageError(`${token.rawName} takes no value, got ${token.rawName}=${token.value}`);
    if (!option.multiple && seen.has(token.name)) throw new UsageError(`--${token.name} is given twice`);
    seen.add(token.name);
    // A value given as the next argument (`--env dev`) is handed on with its flag.
    const separateValue = token.value !== undefined && !token.inlineValue;
    if (token.name !== 'help')
      flagArgs.push(...argv.slice(token.index, token.index + (separateValue ? 2 : 1)));
  }
  const { values, positionals } = parseArgs({
    args: [...argv],
    options,
    strict: true,
    allowPositionals: true,
    allowNegative,
  });
  return { values, positionals, flagArgs };
}

/** The closest known flag to a misspelt one, as "(did you mean --x?)". */
function suggestion(rawName: string, options: ParseArgsOptionsConfig): string {
  const typed = rawName.replace(/^-+/, '');
  const [best] = Object.keys(options)
    .map((name) => ({ name, distance: leven(typed, name) }))
    // Two edits (a swapped pair of letters, as in --evn) at most, and never the whole name.
    .filter(({ name, distance }) => (distance <= 2 && distance < name.length) || name.startsWith(typed))
    .sort((a, b) => a.distance - b.distance);
  return best ? ` (did you mean --${best.name}?)` : '';
}

/**
 * Flags of this command that npm took for its own configuration: `npm run <script> --flag`
 * (without `--`) leaves them in `npm_config_<flag>`, and hands the command only their values.
 */
function npmKept(command: CommandLine<ParseArgsOptionsConfig>, env: NodeJS.ProcessEnv): string[] {
  if (command.detectNpmKeptFlags === false || env.npm_lifecycle_event !== command.script) return [];
  return Object.keys(command.options).filter((name) => env[npmConfigKey(name)] !== undefined);
}

function npmKeptMessage(
  command: CommandLine<ParseArgsOptionsConfig>,
  kept: readonly string[],
  env: NodeJS.ProcessEnv,
  argv: readonly string[],
): string {
  // `--env dev` leaves "true" in npm_config_env and hands "dev" on as an argument; `--env=dev`
  // leaves "dev". With one such value and one argument, the argument is that value.
  const handedOn = kept.filter(
    (n) => command.options[n]?.type === 'string' && env[npmConfigKey(n)] === 'true',
  );
  const strays = argv.filter((a) => !a.startsWith('-'));
  const flags = kept.map((name) => {
    const value = env[npmConfigKey(name)];
    if (command.options[name]?.type === 'boolean') return `--${name}`;
    if (value !== 'true') return `--${name} ${value ?? ''}`;
    return `--${name} ${handedOn.length === 1 && strays.length === 1 ? strays[0] : '<value>'}`;
  });
  return (
    `npm kept ${kept.map((n) => `--${n}`).join(', ')} for itself: flags before -- go to npm, not to ` +
    `${command.script}. Put -- first: npm run ${command.script} -- ${flags.join(' ')}`
  );
}

const npmConfigKey = (name: string) => `npm_config_${name.replace(/-/g, '_')}`;
