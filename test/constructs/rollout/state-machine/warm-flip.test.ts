import { WarmFlip } from '../../../../lib/constructs/rollout/state-machine/warm-flip';
import { harness } from './harness';

describe('warm flip', () => {
  const h = harness();
  const flip = new WarmFlip(h.stack, 'WarmFlip', { steps: h.steps, onFailure: h.compensate }).next(h.next);
  const states = h.states(flip);

  it('checks the warm colour with the plan’s deadline before moving any traffic', () => {
    expect(flip.startState.stateId).toBe('Check Warm Colour Health');
    expect(states['Check Warm Colour Health']).toMatchObject({
      Resource: h.arnOf('check-canary'),
      Parameters: { progress: { 'deadline.$': '$.plan.healthyBy', phase: 'launching' } },
      ResultPath: '$.warmCheck',
      Next: 'Warm Colour Healthy?',
    });
  });

  it('flips all traffic back only when the warm colour is ready', () => {
    expect(states['Warm Colour Healthy?']).toEqual({
      Type: 'Choice',
      Choices: [{ Variable: '$.warmCheck.ready', BooleanEquals: true, Next: 'Flip Traffic Back' }],
      Default: 'Warm Colour Not Healthy',
    });
    expect(states['Flip Traffic Back']).toMatchObject({ Resource: h.arnOf('shift-traffic'), Next: 'Next' });
  });

  it('fails when the warm colour is not healthy, with CanaryUnhealthy and no traffic moved', () => {
    expect(states['Warm Colour Not Healthy']).toMatchObject({
      Type: 'Pass',
      Result: { Error: 'CanaryUnhealthy' },
      ResultPath: '$.error',
      Next: 'Compensate',
    });
  });
});
