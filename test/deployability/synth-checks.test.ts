import { CfnImagePipeline } from 'aws-cdk-lib/aws-imagebuilder';
import * as sns from 'aws-cdk-lib/aws-sns';
import { checkedProduct, plant, plantedProduct } from '../support/checked-product';
import type { CheckedProduct } from '../support/checked-product';

/**
 * What `cdk synth` checks on every template (test/support/checked-product.ts), run on one synthesis
 * of the shipped configuration, and shown failing on one synthesis with a finding planted for each
 * check. cdk-nag's findings and acknowledgements are each concern's: their suites run here (at
 * the end), on the same two syntheses.
 *
 * A property the CloudFormation schema does not know is a deploy that CloudFormation may refuse, so
 * it is fixed, never acknowledged: the pipeline once acknowledged ImageScanningTypes and
 * ScanResultCondition (F3002), which the CloudFormation template reference does not document for
 * AWS::ImageBuilder::ImagePipeline.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-imagebuilder-imagepipeline-imagescanningconfiguration.html
 */

let shipped: CheckedProduct;
beforeAll(() => {
  shipped = checkedProduct();
});

/** Planted: a property the schema does not know, on the image pipeline, and a topic that takes plain HTTP. */
plant({
  build: ({ imageFactory }) => {
    new sns.Topic(imageFactory, 'PlainTopic');
    const pipeline = imageFactory.node
      .findAll()
      .find((c) => c instanceof CfnImagePipeline) as CfnImagePipeline;
    pipeline.addPropertyOverride('ImageScanningConfiguration.ScanResultCondition', {
      MaximumSeverityLabel: 'HIGH',
    });
  },
});

describe('cdk synth of the shipped configuration', () => {
  it('succeeds: cdk-nag and CloudFormation validation find nothing unacknowledged', () => {
    expect(shipped.failure).toBeUndefined();
  });

  it('needs no context lookup (nothing missing from the cloud assembly)', () => {
    expect(shipped.failure).toBeUndefined();
    expect(shipped.missing).toEqual([]);
  });

  it('fails when cdk-nag finds something unacknowledged (its plugin is registered)', () => {
    expect(plantedProduct().failure).toMatch(/AwsSolutions-SNS3/);
    expect(plantedProduct().rules).toContain('AwsSolutions-SNS3');
  });
});

describe('CloudFormation schema validation', () => {
  it('finds no property or value the CloudFormation schemas refuse, in the image factory or any environment', () => {
    expect(shipped.failure).toBeUndefined();
    expect(shipped.findings).toEqual([]);
  });

  it('acknowledges none of its findings: only those the CDK library acknowledges for itself remain', () => {
    // aws-cdk-lib's own: literal AZs of an environment-agnostic stack, and the flow log's
    // DestinationOptions, which it writes in the camelCase EC2 accepts.
    const cdkLibrary = new Set([
      ' CloudFormation-Validate::W3010',
      '/Network/Vpc/all CloudFormation-Validate::F3002',
      '/Network/Vpc/all CloudFormation-Validate::F3003',
    ]);
    expect(shipped.acknowledged.filter((a) => !cdkLibrary.has(a))).toEqual([]);
  });

  it('reports a property the schema does not know (the check is live)', () => {
    const probe = plantedProduct();
    expect(probe.failure).toMatch(/ScanResultCondition.*\(CloudFormation Validate\)/s);
    expect(probe.findings).toEqual([expect.stringMatching(/^F3002: .*ScanResultCondition/)]);
  });
});

// Each concern's cdk-nag findings and acknowledgements, each suite loaded inside a describe named
// after it: `npx jest test/deployability/synth-checks.test.ts -t '^fleet/nag '`.
/* eslint-disable @typescript-eslint/no-require-imports -- a suite loaded inside its describe */
describe('bake/security', () => {
  require('../constructs/bake/security.suite');
});
describe('fleet/nag', () => {
  require('../constructs/fleet/nag.suite');
});
describe('rollout/nag', () => {
  require('../constructs/rollout/nag.suite');
});
