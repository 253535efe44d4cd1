import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { promotionPath } from '../../../../lambda/shared/workflow/promotion-document';
import { rolloutPath } from '../../../../lambda/shared/workflow/rollout-document';
import { DocumentCondition } from '../../../../lib/constructs/rollout/state-machine/document-conditions';
import { harness } from './harness';

describe('a condition on a typed path', () => {
  it('is the condition Step Functions reads, on that path', () => {
    expect(DocumentCondition.stringEquals(rolloutPath('plan', 'kind'), 'canary').renderCondition()).toEqual(
      sfn.Condition.stringEquals('$.plan.kind', 'canary').renderCondition(),
    );
    expect(
      DocumentCondition.booleanEquals(promotionPath('canaryStatus', 'done'), false).renderCondition(),
    ).toEqual({ Variable: '$.canaryStatus.done', BooleanEquals: false });
    expect(DocumentCondition.isPresent(rolloutPath('released', 'warm')).renderCondition()).toEqual({
      Variable: '$.released.warm',
      IsPresent: true,
    });
  });

  it('fails to compile when it compares what the path does not hold', () => {
    const conditions = () => [
      // @ts-expect-error: no plan is of kind 'canery'
      DocumentCondition.stringEquals(rolloutPath('plan', 'kind'), 'canery'),
      // @ts-expect-error: a request's action is a string, not a boolean
      DocumentCondition.booleanEquals(rolloutPath('request', 'action'), true),
      // @ts-expect-error: colours are blue and green
      DocumentCondition.stringEquals(rolloutPath('lock', 'fleet', 'liveColour'), 'red'),
    ];
    // Built, the conditions still render what they were given: only the compiler refuses them.
    expect(conditions().map((c) => c.renderCondition())).toEqual([
      { Variable: '$.plan.kind', StringEquals: 'canery' },
      { Variable: '$.request.action', BooleanEquals: true },
      { Variable: '$.lock.fleet.liveColour', StringEquals: 'red' },
    ]);
  });
});

describe('a step of the contract', () => {
  it('fails when its state does not send its function a payload the contract lists', () => {
    const h = harness();
    expect(() =>
      // @ts-expect-error: Plan Rollout runs plan-rollout, not the ledger
      h.steps.invoke(h.stack, 'Plan Rollout', 'ledger', rolloutPath('plan')),
    ).toThrow('no payload for Plan Rollout (ledger)');
  });
});
