import { DescribeImagesCommand, DescribeLaunchTemplatesCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  GetParameterCommand,
  GetParametersCommand,
  ParameterAlreadyExists,
  PutParameterCommand,
  SSMClient,
  SSMServiceException,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { AMI_ID_RULE } from '../../lambda/shared/ami';
import { DEFAULT_IMAGE_PARAMETER, SeedError, seedRuntimeParameters } from '../../tools/seed/seed';
import { inputsOf } from '../lambda/sdk-mocks';

const ssmMock = mockClient(SSMClient);
const ec2Mock = mockClient(EC2Client);
const clients = () => ({
  ssm: new SSMClient({ region: 'eu-west-1' }),
  ec2: new EC2Client({ region: 'eu-west-1' }),
});

const AL2023 = 'ami-0a1b2c3d4e5f60718';
const BAKED = 'ami-0123456789abcdef0';
const RELEASED = 'ami-0fedcba9876543210';

const names = (env: string) => ({
  image: `/immutable/${env}/released-ami`,
  weights: `/immutable/${env}/fleet/listener-weights`,
  blue: `/immutable/${env}/fleet/blue/launch-template-version`,
  green: `/immutable/${env}/fleet/green/launch-template-version`,
});

const exists = (name: string) =>
  new ParameterAlreadyExists({ message: `The parameter ${name} already exists.`, $metadata: {} });

const notFound = (name: string, message: string) => Object.assign(new Error(message), { name });

/** The parameters SSM holds, by name (GetParameters answers with these). */
function stored(values: Record<string, string>): void {
  ssmMock.on(GetParametersCommand).callsFake((input: { Names: string[] }) =>
    Promise.resolve({
      Parameters: input.Names.filter((n) => n in values).map((n) => ({ Name: n, Value: values[n] })),
      InvalidParameters: input.Names.filter((n) => !(n in values)),
    }),
  );
}

/** The fleet's launch template as EC2 describes it, or none (never deployed, or torn down). */
function launchTemplate(env: string, versions?: { default: number; latest: number }): void {
  const name = `immutable-${env}-fleet`;
  const call = ec2Mock.on(DescribeLaunchTemplatesCommand, { LaunchTemplateNames: [name] });
  if (versions)
    call.resolves({
      LaunchTemplates: [
        {
          LaunchTemplateName: name,
          DefaultVersionNumber: versions.default,
          LatestVersionNumber: versions.latest,
        },
      ],
    });
  else
    call.rejects(
      notFound(
        'InvalidLaunchTemplateName.NotFoundException',
        `At least one of the launch templates specified in the request does not exist.`,
      ),
    );
}

/** Which images exist and are available. */
function images(available: string[]): void {
  ec2Mock.on(DescribeImagesCommand).callsFake((input: { ImageIds: string[] }) => {
    const id = input.ImageIds[0] as string;
    return available.includes(id)
      ? Promise.resolve({ Images: [{ ImageId: id, State: 'available' }] })
      : Promise.reject(notFound('InvalidAMIID.NotFound', `The image id '[${id}]' does not exist`));
  });
}

beforeEach(() => {
  ssmMock.reset();
  ec2Mock.reset();
  ssmMock
    .on(GetParameterCommand, { Name: DEFAULT_IMAGE_PARAMETER })
    .resolves({ Parameter: { Value: AL2023 } });
  ssmMock.on(PutParameterCommand).resolves({ Version: 1 });
  images([AL2023, BAKED, RELEASED]);
});

const puts = () => inputsOf(ssmMock, PutParameterCommand);

describe('seed: a new environment', () => {
  beforeEach(() => {
    stored({});
    launchTemplate('staging');
    launchTemplate('dev');
  });

  it('creates the four runtime parameters, never overwriting', async () => {
    const result = await seedRuntimeParameters(clients(), { environment: 'staging' });
    const n = names('staging');
    expect(puts()).toEqual([
      expect.objectContaining({
        Name: n.image,
        Type: 'String',
        DataType: 'aws:ec2:image',
        Value: AL2023,
        Overwrite: false,
      }),
      expect.objectContaining({ Name: n.weights, Type: 'StringList', Value: '100,0', Overwrite: false }),
      expect.objectContaining({ Name: n.blue, Type: 'String', Value: '1', Overwrite: false }),
      expect.objectContaining({ Name: n.green, Type: 'String', Value: '1', Overwrite: false }),
    ]);
    expect(result).toEqual({
      created: [n.image, n.weights, n.blue, n.green],
      kept: [],
      rewritten: [],
      image: AL2023,
    });
  });

  it('looks for the fleet launch template by name and reads the parameters in one call', async () => {
    await seedRuntimeParameters(clients(), { environment: 'dev' });
    expect(inputsOf(ec2Mock, DescribeLaunchTemplatesCommand)).toEqual([
      { LaunchTemplateNames: ['immutable-dev-fleet'] },
    ]);
    expect(inputsOf(ssmMock, GetParametersCommand)).toEqual([{ Names: Object.values(names('dev')) }]);
  });

  it('uses the current Amazon Linux 2023 AMI from the public parameter when no image is given', async () => {
    await seedRuntimeParameters(clients(), { environment: 'dev' });
    expect(inputsOf(ssmMock, GetParameterCommand)).toEqual([{ Name: DEFAULT_IMAGE_PARAMETER }]);
    expect(inputsOf(ec2Mock, DescribeImagesCommand)).toEqual([]);
  });

  it('uses a given image once EC2 confirms it is available', async () => {
    const result = await seedRuntimeParameters(clients(), { environment: 'dev', image: BAKED });
    expect(result.image).toBe(BAKED);
    expect(inputsOf(ec2Mock, DescribeImagesCommand)).toEqual([{ ImageIds: [BAKED] }]);
    expect(puts().find((p) => p.Name === names('dev').image)?.Value).toBe(BAKED);
    expect(inputsOf(ssmMock, GetParameterCommand)).toEqual([]);
  });

  it('keeps a parameter another seed created meanwhile', async () => {
    ssmMock.on(PutParameterCommand, { Name: names('dev').weights }).rejects(exists(names('dev').weights));
    const result = await seedRuntimeParameters(clients(), { environment: 'dev' });
    expect(result.kept).toEqual([names('dev').weights]);
    expect(result.created).toHaveLength(3);
  });
});

describe('seed: an environment deployed and consistent', () => {
  it('keeps every parameter and writes nothing', async () => {
    const n = names('prod');
    stored({ [n.image]: RELEASED, [n.weights]: '0,100', [n.blue]: '5', [n.green]: '7' });
    launchTemplate('prod', { default: 4, latest: 7 });
    const result = await seedRuntimeParameters(clients(), { environment: 'prod' });
    expect(result).toEqual({
      created: [],
      kept: [n.image, n.weights, n.blue, n.green],
      rewritten: [],
      launchTemplate: { name: 'immutable-prod-fleet', defaultVersion: 4, latestVersion: 7 },
    });
    expect(puts()).toEqual([]);
    expect(inputsOf(ec2Mock, DescribeImagesCommand)).toEqual([{ ImageIds: [RELEASED] }]);
  });

  it('creates only the missing ones, each group on the template’s default version', async () => {
    const n = names('dev');
    stored({ [n.image]: RELEASED, [n.weights]: '100,0' });
    launchTemplate('dev', { default: 3, latest: 6 });
    const result = await seedRuntimeParameters(clients(), { environment: 'dev' });
    expect(result.kept).toEqual([n.image, n.weights]);
    expect(result.created).toEqual([n.blue, n.green]);
    expect(puts()).toEqual([
      expect.objectContaining({ Name: n.blue, Value: '3', Overwrite: false }),
      expect.objectContaining({ Name: n.green, Value: '3', Overwrite: false }),
    ]);
  });
});

describe('seed: parameters that no longer match what the deploy will find', () => {
  it('after a teardown, rewrites the versions of the deleted template to 1 and says why', async () => {
    const n = names('staging');
    stored({ [n.image]: RELEASED, [n.weights]: '0,100', [n.blue]: '7', [n.green]: '1' });
    launchTemplate('staging');
    const result = await seedRuntimeParameters(clients(), { environment: 'staging' });
    expect(puts()).toEqual([
      {
        Name: n.blue,
        Type: 'String',
        Value: '1',
        Description: expect.any(String) as string,
        Overwrite: true,
      },
    ]);
    expect(result.rewritten).toEqual([
      {
        name: n.blue,
        from: '7',
        to: '1',
        reason: 'the launch template does not exist, and the one the next deploy creates starts at version 1',
      },
    ]);
    // The released image and the live colour's weights are still right for an empty fleet.
    expect(result.kept).toEqual([n.image, n.weights, n.green]);
    expect(result.image).toBeUndefined();
  });

  it('rewrites a version the live template does not have to its default version', async () => {
    const n = names('prod');
    stored({ [n.image]: RELEASED, [n.weights]: '100,0', [n.blue]: '9', [n.green]: 'latest' });
    launchTemplate('prod', { default: 6, latest: 8 });
    const result = await seedRuntimeParameters(clients(), { environment: 'prod' });
    expect(result.rewritten).toEqual([
      {
        name: n.blue,
        from: '9',
        to: '6',
        reason: 'launch template immutable-prod-fleet has versions up to 8, not 9',
      },
      { name: n.green, from: 'latest', to: '6', reason: '"latest" is not a launch-template version number' },
    ]);
    expect(puts().map((p) => [p.Name, p.Value, p.Overwrite])).toEqual([
      [n.blue, '6', true],
      [n.green, '6', true],
    ]);
  });

  it('rewrites a released image that is gone, with the given image', async () => {
    const n = names('dev');
    const gone = 'ami-0000000000000dead';
    stored({ [n.image]: gone, [n.weights]: '100,0', [n.blue]: '1', [n.green]: '1' });
    launchTemplate('dev');
    const result = await seedRuntimeParameters(clients(), { environment: 'dev', image: BAKED });
    expect(result.rewritten).toEqual([
      { name: n.image, from: gone, to: BAKED, reason: `image ${gone} is gone` },
    ]);
    expect(puts()).toEqual([
      expect.objectContaining({ Name: n.image, DataType: 'aws:ec2:image', Value: BAKED, Overwrite: true }),
    ]);
    expect(puts()[0]).not.toHaveProperty('Tags');
    expect(result.image).toBe(BAKED);
  });

  it.each(['0,0', '100', '1000,0', 'blue,green'])(
    'rewrites listener weights "%s" to 100,0',
    async (weights) => {
      const n = names('dev');
      stored({ [n.image]: RELEASED, [n.weights]: weights, [n.blue]: '1', [n.green]: '1' });
      launchTemplate('dev');
      const result = await seedRuntimeParameters(clients(), { environment: 'dev' });
      expect(result.rewritten.map((r) => [r.name, r.from, r.to])).toEqual([[n.weights, weights, '100,0']]);
    },
  );
});

describe('seed: --reset', () => {
  it('rewrites all four of a torn-down environment, saying so', async () => {
    const n = names('dev');
    stored({ [n.image]: RELEASED, [n.weights]: '0,100', [n.blue]: '1', [n.green]: '4' });
    launchTemplate('dev');
    const result = await seedRuntimeParameters(clients(), { environment: 'dev', reset: true });
    expect(puts().map((p) => [p.Name, p.Value, p.Overwrite])).toEqual([
      [n.image, AL2023, true],
      [n.weights, '100,0', true],
      [n.blue, '1', true],
      [n.green, '1', true],
    ]);
    expect(result.rewritten.map((r) => r.reason)).toEqual(Array(4).fill('reset requested'));
    expect(result.image).toBe(AL2023);
  });

  it('is refused while the environment is deployed, writing nothing', async () => {
    stored({});
    launchTemplate('prod', { default: 2, latest: 2 });
    await expect(seedRuntimeParameters(clients(), { environment: 'prod', reset: true })).rejects.toThrow(
      new SeedError(
        '--reset refused: prod is deployed (launch template immutable-prod-fleet exists) and a reset would move ' +
          'its groups and released image. Start {"action":"restore"} to re-publish the parameters from the ledger; ' +
          'reset only an environment that was torn down.',
      ),
    );
    expect(puts()).toEqual([]);
  });
});

describe('seed: refusals', () => {
  beforeEach(() => {
    stored({});
    launchTemplate('dev');
  });

  it('fails when the image is not an AMI id, before any AWS call', async () => {
    await expect(seedRuntimeParameters(clients(), { environment: 'dev', image: 'ubuntu' })).rejects.toThrow(
      new SeedError(`--image ${AMI_ID_RULE}, got "ubuntu"`),
    );
    expect(ssmMock.calls()).toHaveLength(0);
    expect(ec2Mock.calls()).toHaveLength(0);
  });

  it('fails when the image does not exist in the region, writing nothing', async () => {
    images([]);
    await expect(seedRuntimeParameters(clients(), { environment: 'dev', image: BAKED })).rejects.toThrow(
      `--image ${BAKED} must be an available AMI in this region, got no such image`,
    );
    expect(puts()).toEqual([]);
  });

  it('fails on a given image that is not available even when the released image is kept', async () => {
    const n = names('dev');
    stored({ [n.image]: RELEASED, [n.weights]: '100,0', [n.blue]: '1', [n.green]: '1' });
    ec2Mock
      .on(DescribeImagesCommand, { ImageIds: [BAKED] })
      .resolves({ Images: [{ ImageId: BAKED, State: 'pending' }] });
    await expect(seedRuntimeParameters(clients(), { environment: 'dev', image: BAKED })).rejects.toThrow(
      `--image ${BAKED} must be an available AMI in this region, got pending`,
    );
    expect(puts()).toEqual([]);
  });

  it('fails on any other error instead of treating it as "already exists"', async () => {
    const denied = new SSMServiceException({
      name: 'AccessDeniedException',
      $fault: 'client',
      $metadata: {},
      message: 'not authorized to perform: ssm:PutParameter',
    });
    ssmMock.on(PutParameterCommand).rejects(denied);
    await expect(seedRuntimeParameters(clients(), { environment: 'dev' })).rejects.toThrow(/not authorized/);
  });

  it('fails when EC2 refuses to describe the launch template for another reason', async () => {
    ec2Mock
      .on(DescribeLaunchTemplatesCommand)
      .rejects(notFound('UnauthorizedOperation', 'You are not authorized to perform this operation.'));
    await expect(seedRuntimeParameters(clients(), { environment: 'dev' })).rejects.toThrow(/not authorized/);
    expect(puts()).toEqual([]);
  });
});
