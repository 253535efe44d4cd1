import { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { testApp } from '../../support/synth';
import type { TestApp } from '../../support/synth';
import { bakeStack } from './bake-stack';

describe('cdk-nag AwsSolutions', () => {
  let app: TestApp;
  beforeAll(() => {
    app = testApp();
    // Synthesize first: cdk-nag reads the resources as they will be deployed.
    for (const stack of app.stacks) Template.fromStack(stack);
  });
  afterAll(() => app.cleanup());

  it.each(['dev', 'staging', 'prod'] as const)(
    'finds nothing unacknowledged in the %s bake pipeline',
    (env) => {
      const stack = app.stack(env);
      const report = new AwsSolutionsChecks(app.app).validateScope(stack.bake);
      expect(report.violations).toEqual([]);
    },
  );

  it('does report a violation placed next to the pipeline', () => {
    const { stack } = bakeStack({}, (scope) => {
      new sns.Topic(scope, 'PlainTopic');
      return {};
    });
    const report = new AwsSolutionsChecks(stack).validateScope(stack);
    expect(
      report.violations.map((v) => [v.ruleName, v.violatingResources.map((r) => r.constructPath)]),
    ).toEqual([['AwsSolutions-SNS3', ['Variant/PlainTopic/Resource']]]);
  });
});

describe('acknowledged findings', () => {
  it('each name one finding and give a reason', () => {
    const { bake } = bakeStack();
    const acknowledged = bake.node
      .findAll()
      .flatMap((c) => c.node.metadata)
      .filter((m) => m.type === 'aws:cdk:acknowledged-rules')
      .flatMap((m) => Object.entries(m.data as Record<string, string>));
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const [id, reason] of acknowledged) {
      expect(id).toMatch(/^(Annotation::)?(AwsSolutions-(IAM4|IAM5)\[.+\]|AwsSolutions-S1)$/);
      expect(reason.length).toBeGreaterThan(40);
    }
  });
});
