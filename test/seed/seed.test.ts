import { DescribeImagesCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  GetParameterCommand,
  ParameterAlreadyExists,
  PutParameterCommand,
  SSMClient,
  SSMServiceException,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { DEFAULT_IMAGE_PARAMETER, SeedError, seedRuntimeParameters } from '../../tools/seed/seed';

const ssmMock = mockClient(SSMClient);
const ec2Mock = mockClient(EC2Client);
const clients = () => ({
  ssm: new SSMClient({ region: 'eu-west-1' }),
  ec2: new EC2Client({ region: 'eu-west-1' }),
});

const AL2023 = 'ami-0a1b2c3d4e5f60718';
const BAKED = 'ami-0123456789abcdef0';

const exists = (name: string) =>
  new ParameterAlreadyExists({ message: `The parameter ${name} already exists.`, $metadata: {} });

beforeEach(() => {
  ssmMock.reset();
  ec2Mock.reset();
  ssmMock
    .on(GetParameterCommand, { Name: DEFAULT_IMAGE_PARAMETER })
    .resolves({ Parameter: { Value: AL2023 } });
  ssmMock.on(PutParameterCommand).resolves({ Version: 1 });
});

const puts = () => ssmMock.commandCalls(PutParameterCommand).map((c) => c.args[0].input);

describe('seed: a new environment', () => {
  it('creates the four runtime parameters, never overwriting', async () => {
    const result = await seedRuntimeParameters(clients(), { environment: 'staging' });

    expect(puts()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Name: '/immutable/staging/released-ami',
          Type: 'String',
          DataType: 'aws:ec2:image',
          Value: AL2023,
          Overwrite: false,
        }),
        expect.objectContaining({
          Name: '/immutable/staging/fleet/listener-weights',
          Type: 'StringList',
          Value: '100,0',
          Overwrite: false,
        }),
        expect.objectContaining({
          Name: '/immutable/staging/fleet/blue/launch-template-version',
          Type: 'String',
          Value: '1',
          Overwrite: false,
        }),
        expect.objectContaining({
          Name: '/immutable/staging/fleet/green/launch-template-version',
          Type: 'String',
          Value: '1',
          Overwrite: false,
        }),
      ]),
    );
    expect(puts()).toHaveLength(4);
    expect(result.created).toHaveLength(4);
    expect(result.kept).toEqual([]);
    expect(result.image).toBe(AL2023);
  });

  it('uses the current Amazon Linux 2023 AMI from the public parameter when no image is given', async () => {
    await seedRuntimeParameters(clients(), { environment: 'dev' });
    expect(ssmMock.commandCalls(GetParameterCommand, { Name: DEFAULT_IMAGE_PARAMETER })).toHaveLength(1);
    expect(ec2Mock.calls()).toHaveLength(0);
  });

  it('uses a given image once EC2 confirms it is available', async () => {
    ec2Mock
      .on(DescribeImagesCommand, { ImageIds: [BAKED] })
      .resolves({ Images: [{ ImageId: BAKED, State: 'available' }] });
    const result = await seedRuntimeParameters(clients(), { environment: 'dev', image: BAKED });
    expect(result.image).toBe(BAKED);
    expect(puts().find((p) => p.Name === '/immutable/dev/released-ami')?.Value).toBe(BAKED);
    expect(ssmMock.commandCalls(GetParameterCommand)).toHaveLength(0);
  });
});

describe('seed: an environment already seeded', () => {
  it('keeps every existing parameter and reports it', async () => {
    ssmMock.on(PutParameterCommand).callsFake((input: { Name: string }) => {
      throw exists(input.Name);
    });
    const result = await seedRuntimeParameters(clients(), { environment: 'prod' });
    expect(result.created).toEqual([]);
    expect(result.kept).toEqual([
      '/immutable/prod/released-ami',
      '/immutable/prod/fleet/listener-weights',
      '/immutable/prod/fleet/blue/launch-template-version',
      '/immutable/prod/fleet/green/launch-template-version',
    ]);
    expect(puts().every((p) => p.Overwrite === false)).toBe(true);
  });

  it('creates only the missing ones', async () => {
    ssmMock
      .on(PutParameterCommand, { Name: '/immutable/dev/released-ami' })
      .rejects(exists('/immutable/dev/released-ami'));
    ssmMock
      .on(PutParameterCommand, { Name: '/immutable/dev/fleet/listener-weights' })
      .rejects(exists('/immutable/dev/fleet/listener-weights'));
    const result = await seedRuntimeParameters(clients(), { environment: 'dev' });
    expect(result.kept).toEqual(['/immutable/dev/released-ami', '/immutable/dev/fleet/listener-weights']);
    expect(result.created).toEqual([
      '/immutable/dev/fleet/blue/launch-template-version',
      '/immutable/dev/fleet/green/launch-template-version',
    ]);
  });
});

describe('seed: refusals', () => {
  it('fails when the image is not an AMI id, before any AWS call', async () => {
    await expect(seedRuntimeParameters(clients(), { environment: 'dev', image: 'ubuntu' })).rejects.toThrow(
      new SeedError('--image must be an AMI id like ami-0123456789abcdef0, got "ubuntu"'),
    );
    expect(ssmMock.calls()).toHaveLength(0);
    expect(ec2Mock.calls()).toHaveLength(0);
  });

  it('fails when the image does not exist in the region, writing nothing', async () => {
    const notFound = Object.assign(new Error(`The image id '[${BAKED}]' does not exist`), {
      name: 'InvalidAMIID.NotFound',
    });
    ec2Mock.on(DescribeImagesCommand).rejects(notFound);
    await expect(seedRuntimeParameters(clients(), { environment: 'dev', image: BAKED })).rejects.toThrow(
      `--image ${BAKED} must be an available AMI in this region, got no such image`,
    );
    expect(puts()).toEqual([]);
  });

  it('fails when the image is not available yet', async () => {
    ec2Mock.on(DescribeImagesCommand).resolves({ Images: [{ ImageId: BAKED, State: 'pending' }] });
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
});
