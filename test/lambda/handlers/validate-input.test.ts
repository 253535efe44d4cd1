import * as module from '../../../lambda/handlers/validate-input';
import { execution } from '../fixtures';
import { compose, stepVariables } from './compose';

const handler = compose(module, stepVariables('validate-input'));

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
});
