import { handler } from '../../../lambda/handlers/validate-input';
import { execution } from '../fixtures';

describe('validate-input handler', () => {
  it('returns the normalized request for the execution input', async () => {
    await expect(
      handler({ input: { action: 'phoenix', dryRun: true }, execution: execution() }),
    ).resolves.toEqual({
      action: 'phoenix',
      reason: 'phoenix started from the console',
      force: false,
      dryRun: true,
      trigger: 'console',
    });
  });

  it('fails with InvalidInput, the name the state machine catches', async () => {
    await expect(handler({ input: { action: 'canary' }, execution: execution() })).rejects.toMatchObject({
      name: 'InvalidInput',
      message: 'imageId is required for a canary (the AMI to roll out), got nothing',
    });
  });

  it('rejects (rather than throwing synchronously) on an input that is not an object', async () => {
    const result = handler({ input: 'phoenix', execution: execution() });
    expect(result).toBeInstanceOf(Promise);
    await expect(result).rejects.toMatchObject({ name: 'InvalidInput' });
  });
});
