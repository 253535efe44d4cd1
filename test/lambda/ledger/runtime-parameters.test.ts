import { GetParameterCommand, ParameterNotFound, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { RuntimeParameters } from '../../../lambda/ledger/runtime-parameters';
import { fleet, NEW_AMI, OLD_AMI, settings } from '../fixtures';
import { inputsOf } from '../sdk-mocks';

const ssm = mockClient(SSMClient);
const names = settings().parameters;
const parameters = () => new RuntimeParameters(new SSMClient({}), names);
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

const current = {
  [names.releasedImage]: OLD_AMI,
  [names.listenerWeights]: '100,0',
  [names.launchTemplateVersions.blue]: '7',
  [names.launchTemplateVersions.green]: '6',
};

beforeEach(() => ssm.reset());

describe('RuntimeParameters.bootstrapRecord', () => {
  it('builds the first fleet record from the seeded parameters', async () => {
    stored(current);
    expect(await parameters().bootstrapRecord()).toEqual({
      liveColour: 'blue',
      releasedImage: OLD_AMI,
      versions: { blue: '7', green: '6' },
      generation: 0,
    });
    expect(
      inputsOf(ssm, GetParameterCommand)
        .map((i) => i.Name)
        .sort(),
    ).toEqual(Object.keys(current).sort());
  });

  it('takes the colour with the larger weight as live', async () => {
    stored({ ...current, [names.listenerWeights]: '0, 100' });
    expect((await parameters().bootstrapRecord()).liveColour).toBe('green');
  });

  it('fails, naming the parameter, when one was never seeded', async () => {
    const { [names.launchTemplateVersions.green]: _missing, ...rest } = current;
    stored(rest);
    await expect(parameters().bootstrapRecord()).rejects.toMatchObject({
      name: 'ParameterNotFound',
      message: expect.stringContaining(names.launchTemplateVersions.green),
    });
  });
});

describe('RuntimeParameters.publish', () => {
  it('writes nothing when the parameters already describe the record', async () => {
    stored(current);
    expect(await parameters().publish(fleet())).toEqual([]);
    expect(ssm.commandCalls(PutParameterCommand)).toHaveLength(0);
  });

  it('writes only the values that changed, each with its type', async () => {
    stored(current);
    const written = await parameters().publish(
      fleet({ liveColour: 'green', releasedImage: NEW_AMI, versions: { blue: '7', green: '8' } }),
    );
    expect(written).toEqual([names.releasedImage, names.listenerWeights, names.launchTemplateVersions.green]);
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
  });

  it('creates a parameter that does not exist yet', async () => {
    const { [names.launchTemplateVersions.blue]: _missing, ...rest } = current;
    stored(rest);
    expect(await parameters().publish(fleet())).toEqual([names.launchTemplateVersions.blue]);
    expect(inputsOf(ssm, PutParameterCommand)).toEqual([
      { Name: names.launchTemplateVersions.blue, Value: '7', Type: 'String', Overwrite: true },
    ]);
  });

  it('propagates any error other than ParameterNotFound, writing nothing', async () => {
    ssm
      .on(GetParameterCommand)
      .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
    await expect(parameters().publish(fleet())).rejects.toMatchObject({ name: 'AccessDeniedException' });
    expect(ssm.commandCalls(PutParameterCommand)).toHaveLength(0);
  });

  it('propagates a failed write', async () => {
    stored(current);
    ssm
      .on(PutParameterCommand)
      .rejects(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));
    await expect(parameters().publish(fleet({ releasedImage: NEW_AMI }))).rejects.toMatchObject({
      name: 'ThrottlingException',
    });
  });
});
