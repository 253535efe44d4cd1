import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { FUNCTION_TIMEOUT_ERRORS, TRANSIENT_ERRORS } from '../../../../lambda/shared/transient-errors';
import { choiceExit } from '../../../../lib/constructs/rollout/state-machine/steps';
import { harness } from './harness';

describe('a rollout step', () => {
  const h = harness();
  const plain = h.steps.invoke(
    h.stack,
    'Plan Rollout',
    'plan-rollout',
    { 'request.$': '$.request' },
    '$.plan',
  );
  const discarded = h.steps.invoke(h.stack, 'Release Lock', 'ledger', { op: 'unlock' }, null);
  const guarded = h.steps.guarded(h.stack, 'Shift Traffic', 'shift-traffic', {}, '$.progress', h.compensate);
  const json = (state: sfn.State) => h.stack.resolve(state.toStateJson()) as Record<string, unknown>;

  it('runs its function with the execution beside its own payload, and no settings: the function has its own', () => {
    expect(json(plain)).toMatchObject({
      Type: 'Task',
      Resource: h.arnOf('plan-rollout'),
      Parameters: { 'execution.$': '$.execution', 'request.$': '$.request' },
      ResultPath: '$.plan',
      TimeoutSeconds: 45,
    });
  });

  it('retries transient errors, and twice a function that timed out, backing off with full jitter', () => {
    expect(json(plain).Retry).toEqual([
      {
        ErrorEquals: [...TRANSIENT_ERRORS],
        IntervalSeconds: 2,
        MaxAttempts: 6,
        BackoffRate: 2,
        MaxDelaySeconds: 60,
        JitterStrategy: 'FULL',
      },
      {
        ErrorEquals: ['Lambda.Unknown', 'Sandbox.Timedout'],
        IntervalSeconds: 2,
        MaxAttempts: 2,
        BackoffRate: 2,
        JitterStrategy: 'FULL',
      },
    ]);
    expect(FUNCTION_TIMEOUT_ERRORS).toEqual(['Lambda.Unknown', 'Sandbox.Timedout']);
  });

  it('discards its result when it has no result path', () => {
    expect(json(discarded)).toMatchObject({ ResultPath: null, Parameters: { op: 'unlock' } });
  });

  it('when guarded, catches everything into the compensation, adding the error to the document', () => {
    expect(json(guarded).Catch).toEqual([
      { ErrorEquals: ['States.ALL'], Next: 'Compensate', ResultPath: '$.error' },
    ]);
  });

  it('knows the functions its steps run', () => {
    expect(h.steps.invokedFunctions().map((fn) => fn.functionArn)).toEqual(
      (['plan-rollout', 'ledger', 'shift-traffic'] as const).map(h.arnOf),
    );
  });
});

describe('a choice exit', () => {
  it('adds the branch it is chained to: on its condition, or as the default', () => {
    const h = harness();
    const onCondition = new sfn.Choice(h.stack, 'Done?').otherwise(h.compensate);
    choiceExit(onCondition, sfn.Condition.booleanEquals('$.done', true)).next(h.next);
    const byDefault = new sfn.Choice(h.stack, 'Again?').when(
      sfn.Condition.isPresent('$.again'),
      h.compensate,
    );
    choiceExit(byDefault).next(h.next);
    expect(h.stack.resolve(onCondition.toStateJson())).toMatchObject({
      Choices: [{ Variable: '$.done', BooleanEquals: true, Next: 'Next' }],
      Default: 'Compensate',
    });
    expect(h.stack.resolve(byDefault.toStateJson())).toMatchObject({
      Choices: [{ Variable: '$.again', IsPresent: true, Next: 'Compensate' }],
      Default: 'Next',
    });
  });
});
