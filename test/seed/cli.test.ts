import { DescribeImagesCommand, DescribeLaunchTemplatesCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  GetParameterCommand,
  GetParametersCommand,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { join } from 'node:path';
import { mockClient } from 'aws-sdk-client-mock';
import { AMI_ID_RULE } from '../../lambda/shared/ami';
import { runCommand } from '../../tools/cli/run-command';
import { SEED_USAGE, seedCommand } from '../../tools/seed/cli';
import { DEFAULT_IMAGE_PARAMETER } from '../../tools/seed/seed';
import { inputsOf } from '../lambda/sdk-mocks';

const ssm = mockClient(SSMClient);
const ec2 = mockClient(EC2Client);
const AL2023 = 'ami-0a1b2c3d4e5f60718';
const FOUR_ACCOUNTS = join(__dirname, '..', '..', 'examples', 'four-accounts.json');

/** `npm run seed -- <args>`, in this process, with its output captured. */
async function seed(args: string[], env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCommand(seedCommand, args, { out: (l) => out.push(l), err: (l) => err.push(l), env });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const awsCalls = () => ssm.calls().length + ec2.calls().length;

beforeEach(() => {
  ssm.reset();
  ec2.reset();
  ssm.on(GetParameterCommand, { Name: DEFAULT_IMAGE_PARAMETER }).resolves({ Parameter: { Value: AL2023 } });
  ssm
    .on(GetParametersCommand)
    .callsFake((input: { Names: string[] }) =>
      Promise.resolve({ Parameters: [], InvalidParameters: input.Names }),
    );
  ssm.on(PutParameterCommand).resolves({ Version: 1 });
  ec2.on(DescribeImagesCommand).resolves({ Images: [{ ImageId: AL2023, State: 'available' }] });
});

describe('npm run seed', () => {
  it('--help prints the usage, with the exit statuses, and exits 0', async () => {
    expect(await seed(['--help'])).toEqual({ code: 0, out: SEED_USAGE, err: '' });
    expect(SEED_USAGE).toContain('exit status: 0 seeded, or already consistent, 1 refused');
  });

  it('seeds a new environment and exits 0', async () => {
    ec2
      .on(DescribeLaunchTemplatesCommand)
      .rejects(
        Object.assign(new Error('does not exist'), { name: 'InvalidLaunchTemplateName.NotFoundException' }),
      );
    const r = await seed(['--env', 'dev', '--region', 'eu-west-1']);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toContain('created   /immutable/dev/released-ami');
    expect(r.out).toContain('dev is seeded; deploy it');
  });

  it('fails with 1 and the reason alone when it refuses: --reset while deployed', async () => {
    ec2.on(DescribeLaunchTemplatesCommand).resolves({
      LaunchTemplates: [
        { LaunchTemplateName: 'immutable-dev-fleet', DefaultVersionNumber: 3, LatestVersionNumber: 4 },
      ],
    });
    const r = await seed(['--env', 'dev', '--region', 'eu-west-1', '--reset']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^seed: --reset refused: dev is deployed/);
    expect(r.err).not.toContain('\n    at ');
    expect(inputsOf(ssm, PutParameterCommand)).toEqual([]);
  });

  it('fails with 3 and one line when there are no AWS credentials, without a stack trace', async () => {
    ec2.on(DescribeLaunchTemplatesCommand).rejects(
      Object.assign(new Error('Could not load credentials from any providers'), {
        name: 'CredentialsProviderError',
      }),
    );
    const r = await seed(['--env', 'dev', '--region', 'eu-west-1']);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/^seed: no AWS credentials found [^\n]*$/);
  });

  it.each([
    [[], '--env must be one of dev, staging, prod, got null'],
    [['--env', 'qa'], '--env must be one of dev, staging, prod, got "qa"'],
    [
      ['--env', 'dev', '--image', 'ami-0123456789abcdef'],
      `--image ${AMI_ID_RULE}, got "ami-0123456789abcdef"`,
    ],
    [['--env', 'dev', '--imgae', AL2023], 'unknown flag --imgae (did you mean --image?)'],
    [['--env', 'dev', '--reset=yes'], '--reset takes no value'],
    [['dev'], 'unexpected argument "dev"'],
  ])('fails with 2 on %j, naming the mistake, with the usage, calling nothing', async (args, message) => {
    const r = await seed(args);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`seed: ${message}`);
    expect(r.err).toContain(SEED_USAGE);
    expect(awsCalls()).toBe(0);
  });

  it('fails with 2 when npm kept the flags (npm run seed --env dev), saying to put -- first', async () => {
    const r = await seed(['dev'], { npm_lifecycle_event: 'seed', npm_config_env: 'true' });
    expect(r.code).toBe(2);
    expect(r.err).toContain('Put -- first: npm run seed -- --env dev');
    expect(awsCalls()).toBe(0);
  });

  it('fails with 2 when the environment is not one of the --config product, naming the ones it has', async () => {
    const r = await seed(['--config', FOUR_ACCOUNTS, '--env', 'dev']);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `seed: --env must be one of qa, uat, prod-eu, prod-us (the environments of ${FOUR_ACCOUNTS}), got "dev"`,
    );
    expect(awsCalls()).toBe(0);
  });

  it('fails with 2 when the --config file cannot be read, naming it and what to do', async () => {
    const r = await seed(['--config', 'nowhere.json', '--env', 'qa']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /^seed: config file nowhere\.json does not exist .*; give the path of a product configuration/,
    );
    expect(awsCalls()).toBe(0);
  });
});
