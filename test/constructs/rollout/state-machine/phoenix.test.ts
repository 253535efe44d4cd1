import { PhoenixRotation } from '../../../../lib/constructs/rollout/state-machine/phoenix';
import { harness } from './harness';

describe('phoenix rotation', () => {
  const h = harness();
  const phoenix = new PhoenixRotation(h.stack, 'Phoenix', { steps: h.steps, onFailure: h.compensate }).next(
    h.next,
  );
  const states = h.states(phoenix);

  it('starts a refresh from the plan, then polls it until it is done', () => {
    expect(phoenix.startState.stateId).toBe('Start Refresh');
    expect(states['Start Refresh']).toMatchObject({
      Resource: h.arnOf('start-refresh'),
      Parameters: { 'plan.$': '$.plan' },
      ResultPath: '$.progress',
      Next: 'Wait For Refresh',
    });
    expect(states['Wait For Refresh']?.Next).toBe('Check Refresh');
    expect(states['Check Refresh']).toMatchObject({
      Resource: h.arnOf('check-refresh'),
      Next: 'Refresh Done?',
    });
    expect(states['Refresh Done?']).toMatchObject({
      Choices: [{ Variable: '$.progress.done', BooleanEquals: true, Next: 'Next' }],
      Default: 'Wait For Refresh',
    });
  });

  it('sends any failed step to the compensation', () => {
    for (const task of ['Start Refresh', 'Check Refresh']) {
      expect({ task, next: states[task]?.Catch?.map((c) => c.Next) }).toEqual({ task, next: ['Compensate'] });
    }
  });
});
