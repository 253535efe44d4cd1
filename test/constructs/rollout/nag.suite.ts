import type { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { ImmutableStack } from '../../../lib/stacks/immutable-stack';
import { checkedProduct, plant, plantedProduct } from '../../support/checked-product';
import type { TestApp } from '../../support/synth';

const ENVS = ['dev', 'staging', 'prod'] as const;

const violationsOf = (app: TestApp, scope: Stack) =>
  new AwsSolutionsChecks(app.app).validateScope(scope).violations.map((v) => ({
    rule: v.ruleName,
    severity: v.severity,
    resources: v.violatingResources.map((r) => r.constructPath),
  }));

describe('cdk-nag AwsSolutions', () => {
  let app: TestApp;
  beforeAll(() => {
    // cdk-nag reads the prepared construct tree: synthesized first.
    app = checkedProduct();
  });

  it.each(ENVS)('%s: no unacknowledged error or warning anywhere in the stack', (env) => {
    const stack = app.stack(env);
    expect(violationsOf(app, stack)).toEqual([]);
  });

  it.each(ENVS)('%s: each acknowledgement in the workflow names one finding and why', (env) => {
    const stack = app.stack(env);
    const acknowledged = stack.rollout.node
      .findAll()
      .flatMap((c) => c.node.metadata)
      .filter((m) => m.type === 'aws:cdk:acknowledged-rules')
      .flatMap((m) => Object.entries(m.data as Record<string, string>));
    expect(acknowledged.length).toBeGreaterThan(20);
    for (const [id, reason] of acknowledged) {
      // one IAM5 wildcard each, and SQS3 on the queue that is itself the triggers' dead-letter queue
      expect(id).toMatch(/^(Annotation::)?(AwsSolutions-IAM5\[Resource::[^\]]+\]|AwsSolutions-SQS3)$/);
      expect(reason.length).toBeGreaterThan(30);
    }
  });

  it.each(['staging', 'prod'] as const)(
    '%s: the promotion acknowledges only the wildcards IAM leaves it, each by its resource',
    (env) => {
      const stack = app.stack(env);
      const promotion = stack.rollout.promotion;
      if (!promotion) throw new Error(`${env} promotes from an environment: it has a promotion`);
      const functionId = stack.getLogicalId(
        stack.rollout.functions.get('promotion').node.defaultChild as never,
      );
      // the state machine's role, and the role of the function it runs
      const acknowledged = [promotion, stack.rollout.functions.get('promotion').role as iam.Role]
        .flatMap((scope) => scope.node.findAll())
        .flatMap((c) => c.node.metadata)
        .filter((m) => m.type === 'aws:cdk:acknowledged-rules')
        .flatMap((m) => Object.keys(m.data as Record<string, string>));
      expect(acknowledged.sort()).toEqual(
        [
          // the state machine: log delivery and X-Ray; versions of the function it runs
          'Annotation::AwsSolutions-IAM5[Resource::*]',
          `Annotation::AwsSolutions-IAM5[Resource::<${functionId}.Arn>:*]`,
          // the function: X-Ray and DescribeImages; the executions of this environment's rollout
          'Annotation::AwsSolutions-IAM5[Resource::*]',
          `Annotation::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:immutable-${env}-rollout:*]`,
        ].sort(),
      );
    },
  );

  it('dev has no promotion to acknowledge anything for', () => {
    expect(app.stack('dev').rollout.promotion).toBeUndefined();
  });
});

// A write on Resource `*` added to a function role is not reported: each role acknowledges its
// `Resource::*` finding (X-Ray and Describe* need it), and cdk-nag names that finding by resource
// only. iam.test.ts checks writes on `*` action by action instead.
describe('cdk-nag sees what changes in the workflow', () => {
  let probe: TestApp;
  let stack: ImmutableStack;
  plant({
    build: ({ stacks }) => {
      const dev = stacks.find((s) => s.config.name === 'dev')!;
      dev.rollout.functions.get('shift-traffic').addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['elasticloadbalancing:*'],
          resources: [dev.fleet.listenerArn],
        }),
      );
    },
  });
  beforeAll(() => {
    probe = plantedProduct();
    stack = probe.stack('dev');
  });

  it('fails when a function role gains a wildcard action', () => {
    expect(violationsOf(probe, stack)).toEqual([
      {
        rule: 'AwsSolutions-IAM5[Action::elasticloadbalancing:*]',
        severity: 'error',
        resources: ['Immutable-dev/Rollout/Functions/shift-traffic-role/DefaultPolicy/Resource'],
      },
    ]);
  });
});
