import { GetParameterCommand, ParameterNotFound, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { SsmRuntimeParameters } from '../../../lambda/aws/ssm';
import { NEW_AMI, OLD_AMI, settings } from '../fixtures';
import { inputsOf } from '../sdk-mocks';

const ssm = mockClient(SSMClient);
const names = settings().parameters;
/** The waits between reads of a validated value, instead of sleeping through them. */
let waited: number[] = [];
const parameters = () =>
  new SsmRuntimeParameters(new SSMClient({}), (ms) => {
    waited.push(ms);
    return Promise.resolve();
  });
const notFound = (name: string) =>
  new ParameterNotFound({ message: `Parameter ${name} not found.`, $metadata: { httpStatusCode: 400 } });

/** SSM holding `values` by name; any other parameter does not exist. */
function stored(values: Record<string, string>) {
  ssm.on(GetParameterCommand).callsFake((input: { Name: string }) => {
    const value = values[input.Name];
    if (value === undefined) return Promise.reject(notFound(input.Name));
    return Promise.resolve({ Parameter: { Name: input.Name, Value: value, Type: 'String', Version: 3 } });
  });
  ssm.on(PutParameterCommand).resolves({ Version: 4, Tier: 'Standard' });
}

beforeEach(() => {
  ssm.reset();
  waited = [];
});

describe('SsmRuntimeParameters.get', () => {
  it('reads one parameter by name', async () => {
    stored({ [names.releasedImage]: OLD_AMI });
    expect(await parameters().get(names.releasedImage)).toBe(OLD_AMI);
    expect(inputsOf(ssm, GetParameterCommand)).toEqual([{ Name: names.releasedImage }]);
  });

  it("fails with SSM's ParameterNotFound, naming the parameter, when it does not exist", async () => {
    stored({});
    await expect(parameters().get(names.releasedImage)).rejects.toMatchObject({
      name: 'ParameterNotFound',
      message: expect.stringContaining(names.releasedImage),
    });
  });

  it('fails when SSM returns no value', async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Name: names.releasedImage } });
    await expect(parameters().get(names.releasedImage)).rejects.toThrow(
      `SSM parameter ${names.releasedImage} has no value`,
    );
  });
});

describe('SsmRuntimeParameters.find', () => {
  it('reads an existing parameter, and undefined for one that does not exist', async () => {
    stored({ [names.releasedImage]: OLD_AMI });
    expect(await parameters().find(names.releasedImage)).toBe(OLD_AMI);
    expect(await parameters().find(names.listenerWeights)).toBeUndefined();
  });

  it('propagates any error other than ParameterNotFound', async () => {
    ssm
      .on(GetParameterCommand)
      .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
    await expect(parameters().find(names.releasedImage)).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
  });
});

describe('SsmRuntimeParameters.put', () => {
  it('overwrites each kind with its type, the image with the AMI data type', async () => {
    stored({ [`${names.releasedImage}:4`]: NEW_AMI });
    await parameters().put(names.releasedImage, NEW_AMI, 'image');
    await parameters().put(names.listenerWeights, '0,100', 'list');
    await parameters().put(names.launchTemplateVersions.green, '8', 'text');
    expect(inputsOf(ssm, PutParameterCommand)).toEqual([
      {
        Name: names.releasedImage,
        Value: NEW_AMI,
        Type: 'String',
        Overwrite: true,
        DataType: 'aws:ec2:image',
      },
      { Name: names.listenerWeights, Value: '0,100', Type: 'StringList', Overwrite: true },
      { Name: names.launchTemplateVersions.green, Value: '8', Type: 'String', Overwrite: true },
    ]);
    // Only the image is read back, by the version the write made: SSM validates it after answering.
    expect(inputsOf(ssm, GetParameterCommand)).toEqual([{ Name: `${names.releasedImage}:4` }]);
    expect(waited).toEqual([]);
  });

  it('waits for SSM to validate an image value, and fails loudly when it never stores it', async () => {
    let reads = 0;
    ssm.on(PutParameterCommand).resolves({ Version: 4 });
    ssm.on(GetParameterCommand).callsFake(() => {
      reads += 1;
      if (reads < 3)
        return Promise.reject(
          Object.assign(new Error('no such version'), { name: 'ParameterVersionNotFound' }),
        );
      return Promise.resolve({ Parameter: { Value: NEW_AMI, Version: 4 } });
    });
    await parameters().put(names.releasedImage, NEW_AMI, 'image');
    expect(waited).toEqual([500, 1000]);

    ssm.reset();
    waited = [];
    ssm.on(PutParameterCommand).resolves({ Version: 5 });
    ssm
      .on(GetParameterCommand)
      .rejects(Object.assign(new Error('no such version'), { name: 'ParameterVersionNotFound' }));
    await expect(parameters().put(names.releasedImage, NEW_AMI, 'image')).rejects.toThrow(
      `SSM did not store ${NEW_AMI} in ${names.releasedImage} (version 5): an aws:ec2:image value must name an AMI`,
    );
    expect(waited).toEqual([500, 1000, 2000, 3000]);
  });

  it('propagates a failed write', async () => {
    ssm
      .on(PutParameterCommand)
      .rejects(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));
    await expect(parameters().put(names.releasedImage, NEW_AMI, 'image')).rejects.toMatchObject({
      name: 'ThrottlingException',
    });
  });
});
