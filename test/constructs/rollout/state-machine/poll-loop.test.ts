import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { rolloutPath } from '../../../../lambda/shared/workflow/rollout-document';
import { PollLoop } from '../../../../lib/constructs/rollout/state-machine/poll-loop';
import { harness } from './harness';

const names = { wait: 'Wait For Refresh', check: 'Check Refresh', choice: 'Refresh Done?' } as const;

describe('a poll loop', () => {
  const h = harness();
  const loop = new PollLoop(h.stack, 'Loop', {
    steps: h.steps,
    onFailure: h.compensate,
    names,
    handler: 'check-refresh',
    resultPath: rolloutPath('progress'),
    until: { doneWhen: sfn.Condition.booleanEquals('$.progress.done', true) },
  }).next(h.next);
  const states = h.states(loop);

  it('waits first, as long as the last check said, then checks, then decides', () => {
    expect(loop.startState.stateId).toBe('Wait For Refresh');
    expect(states['Wait For Refresh']).toEqual({
      Type: 'Wait',
      SecondsPath: '$.progress.waitSeconds',
      Next: 'Check Refresh',
    });
    expect(states['Check Refresh']).toMatchObject({
      Resource: h.arnOf('check-refresh'),
      ResultPath: '$.progress',
      Next: 'Refresh Done?',
    });
  });

  it('goes on once done, and back to the wait otherwise', () => {
    expect(states['Refresh Done?']).toEqual({
      Type: 'Choice',
      Choices: [{ Variable: '$.progress.done', BooleanEquals: true, Next: 'Next' }],
      Default: 'Wait For Refresh',
    });
  });

  it('sends a failed check to the compensation', () => {
    expect(states['Check Refresh']?.Catch).toEqual([
      { ErrorEquals: ['States.ALL'], Next: 'Compensate', ResultPath: '$.error' },
    ]);
  });
});

describe('a poll loop that looks first', () => {
  const h = harness();
  const loop = new PollLoop(h.stack, 'Loop', {
    steps: h.steps,
    onFailure: h.compensate,
    names: { wait: 'Wait For Refresh To Stop', check: 'Restore Safe State', choice: 'Fleet Settled?' },
    handler: 'restore-safe-state',
    resultPath: rolloutPath('restored'),
    until: { waitAgainWhen: sfn.Condition.isPresent('$.restored.waitSeconds') },
    checkFirst: true,
  }).next(h.next);
  const states = h.states(loop);

  it('starts with the check, and waits only when it asks to', () => {
    expect(loop.startState.stateId).toBe('Restore Safe State');
    expect(states['Fleet Settled?']).toEqual({
      Type: 'Choice',
      Choices: [{ Variable: '$.restored.waitSeconds', IsPresent: true, Next: 'Wait For Refresh To Stop' }],
      Default: 'Next',
    });
    expect(states['Wait For Refresh To Stop']).toMatchObject({
      SecondsPath: '$.restored.waitSeconds',
      Next: 'Restore Safe State',
    });
  });
});
