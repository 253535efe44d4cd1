import { logger, metrics, stepHandler } from '../../../lambda/runtime/handler';
import { CanaryFailed } from '../../../lambda/shared/errors';

describe('stepHandler', () => {
  let info: jest.SpyInstance;
  let warn: jest.SpyInstance;
  let flush: jest.SpyInstance;
  let appendKeys: jest.SpyInstance;

  beforeEach(() => {
    info = jest.spyOn(logger, 'info');
    warn = jest.spyOn(logger, 'warn');
    flush = jest.spyOn(metrics, 'publishStoredMetrics');
    appendKeys = jest.spyOn(logger, 'appendKeys');
  });
  afterEach(() => jest.restoreAllMocks());

  it('returns what the step returns, logs it with the execution, and flushes the metrics it added', async () => {
    const handler = stepHandler('plan-rollout', (e: { execution?: { id: string }; n: number }) => {
      metrics.addMetric('Doubled', 'Count', 1);
      return Promise.resolve({ doubled: e.n * 2 });
    });
    await expect(handler({ execution: { id: 'arn:…:execution:x:run-1' }, n: 21 })).resolves.toEqual({
      doubled: 42,
    });
    expect(info).toHaveBeenCalledWith('plan-rollout finished', { result: { doubled: 42 } });
    expect(appendKeys).toHaveBeenCalledWith({ step: 'plan-rollout', execution: 'arn:…:execution:x:run-1' });
    expect(flush).toHaveBeenCalledTimes(1);
  });

  it('rethrows the very error the step threw, so the state machine sees its name', async () => {
    const failure = new CanaryFailed('step 1/3 failed');
    const handler = stepHandler('judge-canary', () => {
      metrics.addMetric('CanaryStepFailed', 'Count', 1);
      return Promise.reject(failure);
    });
    await expect(handler({})).rejects.toBe(failure);
    expect(warn).toHaveBeenCalledWith('judge-canary failed', { error: failure });
    expect(flush).toHaveBeenCalledTimes(1);
  });

  it('publishes nothing when the step added no metric (no empty-metrics warning per call)', async () => {
    await stepHandler('shift-traffic', () => Promise.resolve({}))({});
    expect(flush).not.toHaveBeenCalled();
  });

  it('turns a synchronous throw into a rejection', async () => {
    const handler = stepHandler('validate-input', () => {
      throw new Error('boom');
    });
    await expect(handler({})).rejects.toThrow('boom');
  });
});
