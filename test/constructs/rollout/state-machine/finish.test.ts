import { FinishRollout } from '../../../../lib/constructs/rollout/state-machine/finish';
import { harness } from './harness';

describe('finish of a rollout', () => {
  const h = harness();
  const finish = new FinishRollout(h.stack, 'Finish', { steps: h.steps, topic: h.topic });
  const states = h.states(finish.release);

  it('has three ways in: as planned, after a release, after a compensation', () => {
    expect(finish.startState.stateId).toBe('Record Outcome');
    expect(finish.release.stateId).toBe('Promote Release');
    expect(finish.compensation.stateId).toBe('Return Traffic To Last Good Fleet');
    expect(states['Promote Release']?.Next).toBe('Record Outcome');
    expect(states['Return Traffic To Last Good Fleet']?.Next).toBe('Record Outcome');
    expect(finish.endStates).toEqual([]);
  });

  it('records, rests the idle colour, announces the release, notifies and unlocks, whatever each of them does', () => {
    const chain = [
      ['Record Outcome', 'Put Idle Colour To Rest', 'Release Lock', '$.recordError'],
      ['Put Idle Colour To Rest', 'Announce Release', 'Announce Release', '$.restError'],
      ['Announce Release', 'Notify Outcome', 'Notify Outcome', '$.announceError'],
      ['Notify Outcome', 'Release Lock', 'Release Lock', '$.notifyError'],
      ['Release Lock', 'Did It Fail?', 'Did It Fail?', '$.unlockError'],
    ];
    for (const [name, next, onError, resultPath] of chain) {
      expect({ name, next: states[name as string]?.Next, catch: states[name as string]?.Catch }).toEqual({
        name,
        next,
        catch: [{ ErrorEquals: ['States.ALL'], Next: onError, ResultPath: resultPath }],
      });
    }
  });

  it('fails when the rollout failed or its lock was not released; keeps the old colour warm otherwise', () => {
    expect(states['Did It Fail?']).toEqual({
      Type: 'Choice',
      Choices: [
        { Variable: '$.error', IsPresent: true, Next: 'Rollout Failed' },
        { Variable: '$.unlockError', IsPresent: true, Next: 'Lock Not Released' },
        { Variable: '$.released.warm', IsPresent: true, Next: 'Keep Previous Colour Warm' },
      ],
      Default: 'Rollout Done',
    });
    expect(states['Keep Previous Colour Warm']).toMatchObject({ TimestampPath: '$.released.warm.until' });
  });

  it('announces the release with the announce-release function (a dry run announces nothing)', () => {
    expect(states['Announce Release']).toMatchObject({
      Resource: h.arnOf('announce-release'),
      Parameters: { 'dryRun.$': '$.request.dryRun' },
      ResultPath: '$.announced',
    });
  });

  it('promotes a release, compensating if that fails', () => {
    expect(states['Promote Release']).toMatchObject({
      Resource: h.arnOf('ledger'),
      Parameters: { op: 'release' },
      Catch: [
        { ErrorEquals: ['States.ALL'], Next: 'Return Traffic To Last Good Fleet', ResultPath: '$.error' },
      ],
    });
  });
});
