import { bootstrapRecord, publishRecord } from '../../../lambda/ledger/runtime-parameters';
import { FakeRuntimeParameters } from '../fakes/runtime-parameters';
import { fleet, NEW_AMI, OLD_AMI, settings } from '../fixtures';

const names = settings().parameters;

const current = {
  [names.releasedImage]: OLD_AMI,
  [names.listenerWeights]: '100,0',
  [names.launchTemplateVersions.blue]: '7',
  [names.launchTemplateVersions.green]: '6',
};

describe('bootstrapRecord', () => {
  it('builds the first fleet record from the seeded parameters', async () => {
    const parameters = new FakeRuntimeParameters(current);
    expect(await bootstrapRecord(parameters, names)).toEqual({
      liveColour: 'blue',
      releasedImage: OLD_AMI,
      versions: { blue: '7', green: '6' },
      generation: 0,
    });
    expect([...parameters.reads].sort()).toEqual(Object.keys(current).sort());
  });

  it('takes the colour with the larger weight as live', async () => {
    const parameters = new FakeRuntimeParameters({ ...current, [names.listenerWeights]: '0, 100' });
    expect((await bootstrapRecord(parameters, names)).liveColour).toBe('green');
  });

  it('fails, naming the parameter, when one was never seeded', async () => {
    const { [names.launchTemplateVersions.green]: _missing, ...rest } = current;
    await expect(bootstrapRecord(new FakeRuntimeParameters(rest), names)).rejects.toMatchObject({
      name: 'ParameterNotFound',
      message: expect.stringContaining(names.launchTemplateVersions.green),
    });
  });
});

describe('publishRecord', () => {
  it('writes nothing when the parameters already describe the record', async () => {
    const parameters = new FakeRuntimeParameters(current);
    expect(await publishRecord(parameters, names, fleet())).toEqual([]);
    expect(parameters.writes).toHaveLength(0);
  });

  it('writes only the values that changed, each with its kind', async () => {
    const parameters = new FakeRuntimeParameters(current);
    const written = await publishRecord(
      parameters,
      names,
      fleet({ liveColour: 'green', releasedImage: NEW_AMI, versions: { blue: '7', green: '8' } }),
    );
    expect(written).toEqual([names.releasedImage, names.listenerWeights, names.launchTemplateVersions.green]);
    expect(parameters.writes).toEqual([
      { name: names.releasedImage, value: NEW_AMI, kind: 'image' },
      { name: names.listenerWeights, value: '0,100', kind: 'list' },
      { name: names.launchTemplateVersions.green, value: '8', kind: 'text' },
    ]);
    expect(parameters.snapshot()).toEqual({
      ...current,
      [names.releasedImage]: NEW_AMI,
      [names.listenerWeights]: '0,100',
      [names.launchTemplateVersions.green]: '8',
    });
  });

  it('creates a parameter that does not exist yet', async () => {
    const { [names.launchTemplateVersions.blue]: _missing, ...rest } = current;
    const parameters = new FakeRuntimeParameters(rest);
    expect(await publishRecord(parameters, names, fleet())).toEqual([names.launchTemplateVersions.blue]);
    expect(parameters.writes).toEqual([
      { name: names.launchTemplateVersions.blue, value: '7', kind: 'text' },
    ]);
  });

  it('propagates a failed read, writing nothing', async () => {
    const parameters = new FakeRuntimeParameters(current);
    parameters.failures.on(
      'find',
      Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }),
    );
    await expect(publishRecord(parameters, names, fleet({ releasedImage: NEW_AMI }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
    expect(parameters.writes).toHaveLength(0);
  });

  it('propagates a failed write', async () => {
    const parameters = new FakeRuntimeParameters(current);
    parameters.failures.on('put', Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));
    await expect(publishRecord(parameters, names, fleet({ releasedImage: NEW_AMI }))).rejects.toMatchObject({
      name: 'ThrottlingException',
    });
  });
});
