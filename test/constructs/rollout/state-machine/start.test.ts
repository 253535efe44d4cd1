import { StartRollout } from '../../../../lib/constructs/rollout/state-machine/start';
import { harness } from './harness';

describe('start of a rollout', () => {
  const h = harness();
  const start = new StartRollout(h.stack, 'Start', {
    steps: h.steps,
    onFailure: h.compensate,
  }).next(h.next);
  const states = h.states(start);

  it('reads the input from the context object, and carries no settings: each step has its own', () => {
    expect(start.startState.stateId).toBe('Load Settings');
    expect(states['Load Settings']).toMatchObject({
      Type: 'Pass',
      InputPath: null,
      Parameters: { 'input.$': '$$.Execution.Input' },
      Next: 'Validate Input',
    });
    expect(JSON.stringify(states)).not.toMatch(/"settings(\.\$)?":/);
  });

  it('validates, locks, restores until the fleet is settled, plans and records the start', () => {
    const path = ['Validate Input', 'Acquire Lock', 'Restore Safe State'];
    for (const [i, name] of path.slice(0, -1).entries()) expect(states[name]?.Next).toBe(path[i + 1]);
    expect(states['Fleet Settled?']?.Default).toBe('Plan Rollout');
    expect(states['Plan Rollout']?.Next).toBe('Record Start');
    expect(states['Record Start']?.Next).toBe('Next');
  });

  it('fails when the input is invalid or the fleet is locked, before anything changes', () => {
    expect(states['Validate Input']?.Catch?.map((c) => [c.ErrorEquals, c.Next])).toEqual([
      [['InvalidInput'], 'Reject Input'],
      [['States.ALL'], 'Could Not Start'],
    ]);
    expect(states['Acquire Lock']?.Catch?.map((c) => [c.ErrorEquals, c.Next])).toEqual([
      [['RolloutInProgress'], 'Refuse Concurrent Rollout'],
      [['States.ALL'], 'Could Not Start'],
    ]);
  });

  it('sends a failure from the restore on to the compensation', () => {
    for (const task of ['Restore Safe State', 'Plan Rollout', 'Record Start']) {
      expect({ task, next: states[task]?.Catch?.map((c) => c.Next) }).toEqual({ task, next: ['Compensate'] });
    }
  });
});
