import { productTemplate } from '../../support/templates';

/**
 * What a production fleet keeps, and who may act for it: execution logs outlive the stack in
 * prod, and Step Functions assumes each state machine's role for that state machine only.
 */
const executionLogGroups = (env: 'dev' | 'prod') =>
  Object.entries(productTemplate(env).findResources('AWS::Logs::LogGroup')).filter(([id]) =>
    /^Rollout(Promotion)?ExecutionLogs/.test(id),
  );

describe('execution logs', () => {
  it('are retained with the stack in prod and removed with it in dev', () => {
    expect(executionLogGroups('prod').map(([, r]) => r.DeletionPolicy)).toEqual(['Retain', 'Retain']);
    expect(executionLogGroups('dev').map(([, r]) => r.DeletionPolicy)).toEqual(['Delete']);
  });
});

describe('state machine roles', () => {
  it.each([
    ['RolloutStateMachineRole', 'immutable-prod-rollout'],
    ['RolloutPromotionRole', 'immutable-prod-promotion'],
  ])('%s trusts Step Functions for %s of this account only', (prefix, name) => {
    const roles = Object.entries(productTemplate('prod').findResources('AWS::IAM::Role')).filter(([id]) =>
      id.startsWith(prefix),
    );
    expect(roles).toHaveLength(1);
    expect(roles[0]?.[1].Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { Service: 'states.amazonaws.com' },
        Condition: {
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
          ArnEquals: {
            'aws:SourceArn': {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':states:',
                  { Ref: 'AWS::Region' },
                  ':',
                  { Ref: 'AWS::AccountId' },
                  `:stateMachine:${name}`,
                ],
              ],
            },
          },
        },
      },
    ]);
  });
});
