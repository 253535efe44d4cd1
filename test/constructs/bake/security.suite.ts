import type { IConstruct } from 'constructs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { checkedProduct } from '../../support/checked-product';
import type { TestApp } from '../../support/synth';
import { bakeStack } from './bake-stack';

let app: TestApp;
beforeAll(() => {
  // Synthesized first: cdk-nag reads the resources as they will be deployed.
  app = checkedProduct();
});

const violationsOf = (scope: IConstruct) =>
  new AwsSolutionsChecks(app.app).validateScope(scope).violations.map((v) => ({
    rule: v.ruleName,
    resources: v.violatingResources.map((r) => r.constructPath),
  }));

/** Every acknowledgement under `scope`, as [finding, reason]. */
const acknowledgementsUnder = (scope: IConstruct): [string, string][] =>
  scope.node
    .findAll()
    .flatMap((c) => c.node.metadata)
    .filter((m) => m.type === 'aws:cdk:acknowledged-rules')
    .flatMap((m) => Object.entries(m.data as Record<string, string>));

describe('cdk-nag AwsSolutions', () => {
  it('finds nothing unacknowledged in the bake pipeline', () => {
    expect(violationsOf(app.imageFactory.pipeline)).toEqual([]);
  });

  it('finds nothing unacknowledged anywhere in the image factory stack (network, events, routes)', () => {
    expect(violationsOf(app.imageFactory)).toEqual([]);
  });

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
  it('in the pipeline, each name one finding and give a reason', () => {
    const acknowledged = acknowledgementsUnder(app.imageFactory.pipeline);
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const [id, reason] of acknowledged) {
      expect(id).toMatch(/^(Annotation::)?(AwsSolutions-(IAM4|IAM5)\[.+\]|AwsSolutions-S1)$/);
      expect(reason.length).toBeGreaterThan(40);
    }
  });

  it("in the factory's event handling, each name one finding on one resource and give a reason", () => {
    const acknowledged = acknowledgementsUnder(app.imageFactory.events);
    // The announcer reads its own pipeline's images; the lineage tagger writes tags on the
    // factory's AMIs in every region; each function's role reads what has no resource-level
    // permissions (X-Ray, Describe*); the dead-letter queue needs none of its own.
    expect(acknowledged.map(([id]) => id).sort()).toEqual(
      [
        'Annotation::AwsSolutions-IAM5[Resource::*]',
        'Annotation::AwsSolutions-IAM5[Resource::*]',
        'Annotation::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:*::image/*]',
        'Annotation::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:imagebuilder:<AWS::Region>:<AWS::AccountId>:image/immutable-web_*]',
        'Annotation::AwsSolutions-SQS3',
      ].sort(),
    );
    for (const [id, reason] of acknowledged) {
      // never a whole rule, never a wildcard action
      expect(id).toMatch(/^Annotation::(AwsSolutions-IAM5\[Resource::[^\]]+\]|AwsSolutions-SQS3)$/);
      expect(reason.length).toBeGreaterThan(30);
    }
  });
});
