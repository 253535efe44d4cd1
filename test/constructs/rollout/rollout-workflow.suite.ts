import * as iam from 'aws-cdk-lib/aws-iam';
import type { ImmutableStack } from '../../../lib/stacks/immutable-stack';
import { configOf, testApp } from '../../support/synth';
import type { TestApp } from '../../support/synth';
import { grantsOf, rendered } from './rollout-template';

let app: TestApp;
let stack: ImmutableStack;
let operatorRole: string;

beforeAll(() => {
  // A separate app: the operator role must not change the templates other tests read.
  app = testApp({ environments: [configOf('staging')] });
  stack = app.stack('staging');
  const role = new iam.Role(stack, 'Operator', { assumedBy: new iam.AccountRootPrincipal() });
  stack.rollout.grantStartExecution(role);
  operatorRole = stack.getLogicalId(role.node.defaultChild as iam.CfnRole);
  app.template('staging');
});
afterAll(() => app.cleanup());

describe('grantStartExecution', () => {
  it('lets the grantee start executions of this state machine, and nothing else', () => {
    expect(grantsOf(app.template('staging'), operatorRole).map((g) => [g.actions, g.resources])).toEqual([
      [['states:StartExecution'], [rendered(stack, stack.rollout.stateMachine.stateMachineArn)]],
    ]);
  });
});
