import { CanaryShift } from '../../../../lib/constructs/rollout/state-machine/canary';
import { harness } from './harness';

describe('canary shift', () => {
  const h = harness();
  const canary = new CanaryShift(h.stack, 'Canary', { steps: h.steps, onFailure: h.compensate }).next(h.next);
  const states = h.states(canary);

  it('prepares the canary colour, then waits until its instances are healthy', () => {
    expect(canary.startState.stateId).toBe('Prepare Canary Colour');
    expect(states['Prepare Canary Colour']).toMatchObject({
      Resource: h.arnOf('prepare-canary'),
      Next: 'Wait For Canary Instances',
    });
    expect(states['Canary Healthy?']).toMatchObject({
      Choices: [{ Variable: '$.progress.ready', BooleanEquals: true, Next: 'Shift Traffic' }],
      Default: 'Wait For Canary Instances',
    });
  });

  it('shifts, then judges each step while it bakes, as often as the judge asks, until the last one', () => {
    expect(states['Shift Traffic']).toMatchObject({ Resource: h.arnOf('shift-traffic'), Next: 'Bake Step' });
    // the judge (and the shift before it) says how long to wait before the next look
    expect(states['Bake Step']).toEqual({
      Type: 'Wait',
      SecondsPath: '$.progress.waitSeconds',
      Next: 'Judge Step',
    });
    expect(states['Judge Step']).toMatchObject({ Resource: h.arnOf('judge-canary'), Next: 'More Steps?' });
    expect(states['More Steps?']).toMatchObject({
      Choices: [
        { Variable: '$.progress.baking', BooleanEquals: true, Next: 'Bake Step' },
        { Variable: '$.progress.done', BooleanEquals: true, Next: 'Next' },
      ],
      Default: 'Shift Traffic',
    });
  });

  it('sends any failed step, a bad judgement included, to the compensation', () => {
    const tasks = Object.entries(states).filter(([, s]) => s.Type === 'Task');
    expect(tasks.map(([name]) => name).sort()).toEqual(
      ['Check Canary Health', 'Judge Step', 'Prepare Canary Colour', 'Shift Traffic'].sort(),
    );
    for (const [task, state] of tasks) {
      expect({ task, next: state.Catch?.map((c) => c.Next) }).toEqual({ task, next: ['Compensate'] });
    }
  });
});
