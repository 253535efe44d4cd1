import { handler } from '../../../lambda/handlers/validate-input';
import { execution, settings } from '../fixtures';

describe('validate-input handler', () => {
  it('returns the normalized request for the execution input', async () => {
    await expect(
      handler({ input: { action: 'phoenix', dryRun: true }, settings: settings(), execution: execution() }),
    ).resolves.toEqual({
      action: 'phoenix',
      reason: 'phoenix started from the console',
      force: false,
      dryRun: true,
      trigger: 'console',
    });
  });
});
