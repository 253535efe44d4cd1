import { UsageError } from '../../tools/cli/command-line';
import { EXIT, exitStatusHelp } from '../../tools/cli/exit-status';
import { isDebug, npmBannerNote, runCommand } from '../../tools/cli/run-command';
import type { Command } from '../../tools/cli/run-command';

class Refused extends Error {
  override readonly name = 'Refused';
}

const options = { json: { type: 'boolean' }, fail: { type: 'string' } } as const;

/** A command that fails as its --fail flag says. */
const command: Command<typeof options> = {
  script: 'demo',
  usage: 'usage: npm run demo -- [--json] [--fail <how>]',
  options,
  failures: [Refused],
  run({ values }, io) {
    switch (values.fail) {
      case 'refused':
        throw new Refused('nothing waits for that answer');
      case 'usage':
        throw new UsageError('--env must be one of dev, prod, got "qa"');
      case 'aws':
        throw Object.assign(new Error('Could not load credentials from any providers'), {
          name: 'CredentialsProviderError',
        });
      case 'crash':
        throw new TypeError('x is undefined');
      case 'drift':
        io.out('drift found');
        return EXIT.failed;
      default:
        io.out(values.json ? '{"ok":true}' : 'ok');
        return EXIT.ok;
    }
  },
};

async function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCommand(command, argv, { out: (l) => out.push(l), err: (l) => err.push(l), env });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('exit statuses, the same for every command', () => {
  it('exits 0 with the output on stdout and nothing on stderr', async () => {
    expect(await run([])).toEqual({ code: 0, out: 'ok', err: '' });
  });

  it('prints the usage on stdout for --help and exits 0', async () => {
    expect(await run(['--help'])).toEqual({ code: 0, out: command.usage, err: '' });
  });

  it('exits with what the command returns: 1 for a failure it reports', async () => {
    expect(await run(['--fail', 'drift'])).toMatchObject({ code: EXIT.failed, out: 'drift found' });
  });

  it('fails with 1 and the message alone for one of the command’s failures', async () => {
    expect(await run(['--fail', 'refused'])).toEqual({
      code: 1,
      out: '',
      err: 'demo: nothing waits for that answer',
    });
  });

  it('fails with 2, the mistake and the usage on stderr, for a usage error the command finds', async () => {
    expect(await run(['--fail', 'usage'])).toEqual({
      code: 2,
      out: '',
      err: `demo: --env must be one of dev, prod, got "qa"\n\n${command.usage}`,
    });
  });

  it('fails with 2 for a usage error in the flags, before running anything', async () => {
    const r = await run(['--jsn']);
    expect(r).toMatchObject({ code: 2, out: '' });
    expect(r.err).toBe(`demo: unknown flag --jsn (did you mean --json?)\n\n${command.usage}`);
  });

  it('fails with 3 and one line for an AWS error, without a stack trace', async () => {
    const r = await run(['--fail', 'aws']);
    expect(r.code).toBe(3);
    expect(r.err.split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/^demo: no AWS credentials found/);
  });

  it('fails with 3 for a crash, naming its class and saying how to see the trace', async () => {
    expect(await run(['--fail', 'crash'])).toEqual({
      code: 3,
      out: '',
      err: 'demo: TypeError: x is undefined\n(DEBUG=1 shows the stack trace)',
    });
  });

  it('prints the stack trace with DEBUG=1', async () => {
    const r = await run(['--fail', 'aws'], { DEBUG: '1' });
    expect(r.code).toBe(3);
    expect(r.err).toMatch(
      /^demo: no AWS credentials found.*\nCredentialsProviderError: Could not load credentials[^]*\n\s+at /,
    );
  });

  it('documents the statuses in every usage text', () => {
    expect(exitStatusHelp({ ok: 'no drift', failed: 'drift found' })).toBe(
      'exit status: 0 no drift, 1 drift found, 2 a usage error (nothing was done), ' +
        '3 could not run (a file, AWS or the run itself failed; DEBUG=1 shows the stack trace)',
    );
    expect(exitStatusHelp({ ok: 'shown' })).not.toContain(' 1 ');
  });
});

describe("npm's banner ahead of a --json output", () => {
  it('notes on stderr that npm printed its lines on stdout, and how to keep them off', async () => {
    const r = await run(['--json'], { npm_lifecycle_event: 'demo' });
    expect(r).toMatchObject({ code: 0, out: '{"ok":true}' });
    expect(r.err).toBe(
      'demo: note: npm printed its "> demo" lines on stdout ahead of the JSON; npm run -s demo -- … prints the JSON alone',
    );
  });

  it.each([
    ['run outside npm', {}],
    ['run by npm -s', { npm_lifecycle_event: 'demo', npm_config_loglevel: 'silent' }],
    [
      'run by npm --json, which sends its banner to stderr',
      { npm_lifecycle_event: 'demo', npm_config_json: 'true' },
    ],
    ['run by another script', { npm_lifecycle_event: 'test' }],
  ])('says nothing when %s', (_, env) => {
    expect(npmBannerNote('demo', env)).toBeUndefined();
  });
});

describe('DEBUG', () => {
  it.each([
    ['1', true],
    ['true', true],
    ['*', true],
    ['0', false],
    ['false', false],
    ['', false],
    [undefined, false],
  ])('DEBUG=%j shows stack traces: %s', (value, expected) => {
    expect(isDebug(value === undefined ? {} : { DEBUG: value })).toBe(expected);
  });
});
