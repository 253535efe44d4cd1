import { FinishRollout } from '../../../../lib/constructs/rollout/state-machine/finish';
import { render, successors } from '../rollout-template';
import type { AslState } from '../rollout-template';
import { settings } from '../../../lambda/fixtures';
import { harness } from './harness';

describe('finish of a rollout', () => {
  const h = harness();
  const finish = new FinishRollout(h.stack, 'Finish', { steps: h.steps, topic: h.topic, fleet: settings() });
  const states = h.states(finish.release);

  it('has three ways in: as planned, after a release, after a compensation', () => {
    expect(finish.startState.stateId).toBe('Record Outcome');
    expect(finish.release.stateId).toBe('Promote Release');
    expect(finish.compensation.startState.stateId).toBe('Return Traffic To Last Good Fleet');
    expect(states['Promote Release']?.Next).toBe('Record Outcome');
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

  it('retires the old colour after its warm time, and fails loudly when the retirement fails', () => {
    expect(states['Keep Previous Colour Warm']?.Next).toBe('Retire Previous Colour');
    expect(states['Retire Previous Colour']).toMatchObject({
      Resource: h.arnOf('retire-colour'),
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Retirement Failed' }],
    });
    // FAILED, not SUCCEEDED: the lock janitor hears of it and its restore retires the colour
    expect(states['Retirement Failed']).toMatchObject({ Type: 'Fail', Error: 'RetirementFailed' });
    expect(states['Retirement Failed']?.Cause).toContain('the lock janitor restores the fleet');
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

describe('the way back', () => {
  const h = harness();
  const finish = new FinishRollout(h.stack, 'Finish', { steps: h.steps, topic: h.topic, fleet: settings() });
  const states = h.states(finish.compensation);
  const ELB = 'arn:${AWS::Partition}:states:::aws-sdk:elasticloadbalancingv2:modifyListener';
  const ASG = 'arn:${AWS::Partition}:states:::aws-sdk:autoscaling:updateAutoScalingGroup';
  /** A state with its Resource rendered as one string. */
  const state = (name: string) => {
    const s = states[name] as AslState;
    return { ...s, Resource: render(s.Resource) };
  };
  /** The states from the way in up to the finish (Record Outcome), not beyond. */
  const wayBack = (): string[] => {
    const seen = new Set<string>();
    const visit = (name: string) => {
      if (seen.has(name) || name === 'Record Outcome') return;
      seen.add(name);
      successors(states[name] as AslState).forEach(visit);
    };
    visit('Return Traffic To Last Good Fleet');
    return [...seen];
  };

  it('runs no Lambda function: every task on it is a direct AWS SDK integration', () => {
    const tasks = wayBack().filter((n) => states[n]?.Type === 'Task');
    expect(tasks.sort()).toEqual([
      'All Traffic To Blue',
      'All Traffic To Green',
      'Scale Blue Canary To Zero',
      'Scale Green Canary To Zero',
    ]);
    for (const name of tasks)
      expect(state(name).Resource).toMatch(/^arn:\$\{AWS::Partition\}:states:::aws-sdk:/);
  });

  it('changes nothing in a dry run or after a refusal while planning, else puts all traffic on the live colour', () => {
    expect(states['Return Traffic To Last Good Fleet']).toMatchObject({
      Type: 'Pass',
      Next: 'Anything To Put Back?',
    });
    expect(states['Anything To Put Back?']).toEqual({
      Type: 'Choice',
      Choices: [
        {
          Or: [
            { Variable: '$.request.dryRun', BooleanEquals: true },
            {
              And: [
                { Not: { Variable: '$.recorded', IsPresent: true } },
                { Variable: '$.restored', IsPresent: true },
                { Not: { Variable: '$.restored.waitSeconds', IsPresent: true } },
              ],
            },
          ],
          Next: 'Record Outcome',
        },
      ],
      Default: 'Which Colour Is Live?',
    });
    expect(states['Which Colour Is Live?']).toEqual({
      Type: 'Choice',
      Choices: [{ Variable: '$.lock.fleet.liveColour', StringEquals: 'green', Next: 'All Traffic To Green' }],
      Default: 'All Traffic To Blue',
    });
    expect(state('All Traffic To Green')).toMatchObject({
      Resource: ELB,
      Parameters: {
        // The fleet's own listener and target groups, named in the definition: no payload aims it elsewhere.
        ListenerArn: settings().listenerArn,
        DefaultActions: [
          {
            Type: 'forward',
            ForwardConfig: {
              TargetGroups: [
                { TargetGroupArn: settings().targetGroups.blue, Weight: 0 },
                { TargetGroupArn: settings().targetGroups.green, Weight: 100 },
              ],
              TargetGroupStickinessConfig: { Enabled: false },
            },
          },
        ],
      },
      ResultPath: null,
      Next: 'Was A Canary Launched?',
    });
  });

  it("scales a launched canary's group to zero, and only a canary's", () => {
    expect(states['Was A Canary Launched?']).toEqual({
      Type: 'Choice',
      Choices: [{ Variable: '$.plan.to.colour', IsPresent: true, Next: 'Which Colour Is The Canary?' }],
      Default: 'Record Outcome',
    });
    const canary = (colour: string) => [
      { Variable: '$.plan.kind', StringEquals: 'canary' },
      { Variable: '$.plan.to.colour', StringEquals: colour },
    ];
    expect(states['Which Colour Is The Canary?']).toEqual({
      Type: 'Choice',
      Choices: [
        { And: canary('blue'), Next: 'Scale Blue Canary To Zero' },
        { And: canary('green'), Next: 'Scale Green Canary To Zero' },
      ],
      Default: 'Record Outcome',
    });
    expect(state('Scale Blue Canary To Zero')).toMatchObject({
      Resource: ASG,
      Parameters: { AutoScalingGroupName: settings().groups.blue, MinSize: 0, DesiredCapacity: 0 },
      Next: 'Record Outcome',
    });
  });

  it('retries every error for minutes, then records it and finishes', () => {
    for (const name of ['All Traffic To Blue', 'Scale Green Canary To Zero']) {
      expect(states[name]).toMatchObject({
        Retry: [
          {
            ErrorEquals: ['States.ALL'],
            IntervalSeconds: 2,
            BackoffRate: 2,
            MaxAttempts: 8,
            MaxDelaySeconds: 60,
            JitterStrategy: 'FULL',
          },
        ],
        Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Record Outcome', ResultPath: '$.compensationError' }],
      });
    }
  });
});
