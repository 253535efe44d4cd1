import { ReplaceInstances } from '../../../../lib/constructs/rollout/state-machine/replace';
import { harness } from './harness';

describe('replace instances', () => {
  const h = harness();
  const replace = new ReplaceInstances(h.stack, 'Replace', { steps: h.steps, onFailure: h.compensate }).next(
    h.next,
  );
  const states = h.states(replace);

  it('starts the replacement from the plan, then polls it until it is done', () => {
    expect(replace.startState.stateId).toBe('Start Replacement');
    expect(states['Start Replacement']).toMatchObject({
      Resource: h.arnOf('replace-instances'),
      Parameters: { op: 'start', 'plan.$': '$.plan' },
      ResultPath: '$.progress',
      Next: 'Wait For Replacements',
    });
    expect(states['Wait For Replacements']?.Next).toBe('Check Replacement');
    expect(states['Check Replacement']).toMatchObject({
      Resource: h.arnOf('replace-instances'),
      Parameters: { op: 'check', 'plan.$': '$.plan', 'progress.$': '$.progress' },
      Next: 'Replacement Done?',
    });
    expect(states['Replacement Done?']).toMatchObject({
      Choices: [{ Variable: '$.progress.done', BooleanEquals: true, Next: 'Next' }],
      Default: 'Wait For Replacements',
    });
  });

  it('sends any failed step to the compensation', () => {
    for (const task of ['Start Replacement', 'Check Replacement']) {
      expect({ task, next: states[task]?.Catch?.map((c) => c.Next) }).toEqual({ task, next: ['Compensate'] });
    }
  });
});
