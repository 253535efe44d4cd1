import { parseCommandLine, UsageError } from '../../tools/cli/command-line';

const seed = {
  script: 'seed',
  usage: 'usage: npm run seed -- --env <env>',
  options: {
    env: { type: 'string' },
    image: { type: 'string' },
    reset: { type: 'boolean' },
    tag: { type: 'string', multiple: true },
  },
} as const;

const parse = (argv: string[], env: NodeJS.ProcessEnv = {}) => parseCommandLine(seed, argv, env);
const refusal = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
  try {
    parse(argv, env);
  } catch (e) {
    if (e instanceof UsageError) return e.message;
    throw e;
  }
  throw new Error(`${JSON.stringify(argv)} was accepted`);
};

describe('reading a command line', () => {
  it('reads flags with their values, = or not, and switches', () => {
    expect(parse(['--env', 'dev', '--image=ami-12345678', '--reset']).values).toEqual({
      env: 'dev',
      image: 'ami-12345678',
      reset: true,
    });
  });

  it('reads --help and -h on every command', () => {
    expect(parse(['--help']).values.help).toBe(true);
    expect(parse(['-h']).values.help).toBe(true);
  });

  it('hands on the flags as given, values with them, without --help', () => {
    expect(parse(['--env', 'dev', '--tag=a', '--help', '--reset']).flagArgs).toEqual([
      '--env',
      'dev',
      '--tag=a',
      '--reset',
    ]);
  });

  it('takes a flag marked multiple more than once', () => {
    expect(parse(['--tag', 'a', '--tag', 'b']).values.tag).toEqual(['a', 'b']);
  });
});

describe('usage errors name the mistake', () => {
  it.each([
    [
      'an unknown flag, suggesting the closest',
      ['--imag', 'x'],
      'unknown flag --imag (did you mean --image?)',
    ],
    ['an unknown flag far from any', ['--colour'], 'unknown flag --colour'],
    ['an unknown short flag', ['-x'], 'unknown flag -x'],
    ['a flag without its value', ['--env'], '--env needs a value: --env <value>'],
    ['a value given to a switch', ['--reset=yes'], '--reset takes no value, got --reset=yes'],
    ['a flag given twice', ['--env', 'dev', '--env', 'prod'], '--env is given twice'],
    ['a stray argument', ['dev'], 'unexpected argument "dev"'],
  ])('fails when the command line has %s', (_, argv, message) => {
    expect(refusal(argv)).toBe(message);
  });

  it('fails when the suggestion would be a guess: only close flags are offered', () => {
    expect(refusal(['--zzzzzz'])).toBe('unknown flag --zzzzzz');
  });

  it('takes arguments that are not flags when the command says so', () => {
    expect(parseCommandLine({ ...seed, positionals: true }, ['test/a', '--reset'], {}).positionals).toEqual([
      'test/a',
    ]);
  });

  it('reads --no-<switch> when the command says so', () => {
    expect(parseCommandLine({ ...seed, allowNegative: true }, ['--no-reset'], {}).values.reset).toBe(false);
    expect(refusal(['--no-reset'])).toContain('unknown flag --no-reset');
  });
});

describe('flags npm kept for itself (npm run seed --env dev, without --)', () => {
  const underNpm = { npm_lifecycle_event: 'seed' };

  it('fails when npm kept a flag and handed on its value, putting the value back in the hint', () => {
    expect(refusal(['dev'], { ...underNpm, npm_config_env: 'true' })).toBe(
      'npm kept --env for itself: flags before -- go to npm, not to seed. Put -- first: npm run seed -- --env dev',
    );
  });

  it('fails when npm kept --flag=value and a switch', () => {
    expect(refusal([], { ...underNpm, npm_config_env: 'dev', npm_config_reset: 'true' })).toBe(
      'npm kept --env, --reset for itself: flags before -- go to npm, not to seed. ' +
        'Put -- first: npm run seed -- --env dev --reset',
    );
  });

  it('fails when npm kept two valued flags, leaving their values to the reader', () => {
    expect(
      refusal(['dev', 'ami-12345678'], { ...underNpm, npm_config_env: 'true', npm_config_image: 'true' }),
    ).toContain('npm run seed -- --env <value> --image <value>');
  });

  it('looks only when npm runs this very script', () => {
    expect(parse(['--env', 'dev'], { npm_lifecycle_event: 'test', npm_config_env: 'true' }).values.env).toBe(
      'dev',
    );
  });

  it('does not look for a command whose flags are another tool’s', () => {
    const passThrough = { ...seed, detectNpmKeptFlags: false };
    expect(
      parseCommandLine(passThrough, ['--env', 'dev'], { ...underNpm, npm_config_env: 'x' }).values.env,
    ).toBe('dev');
  });
});
