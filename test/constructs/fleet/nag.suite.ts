import type { Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { checkedProduct, plant, plantedProduct } from '../../support/checked-product';
import type { TestApp } from '../../support/synth';

let app: TestApp;

beforeAll(() => {
  // The feature flags `cdk synth` runs with (e.g. restrictDefaultSecurityGroup adds a custom
  // resource), synthesized first: cdk-nag reads the prepared construct tree.
  app = checkedProduct();
});

/** Planted: a bucket without server access logs in prod, and staging's load balancer restricted to a private CIDR. */
const UNLOGGED = 'UnloggedProbe';
plant({
  configure: (environments) => {
    const internal = environments.find((e) => e.name === 'staging')!;
    internal.fleet.loadBalancer = { ...internal.fleet.loadBalancer, ingressCidr: '10.0.0.0/8' };
  },
  build: ({ stacks }) => {
    new s3.Bucket(
      stacks.find((s) => s.config.name === 'prod')!,
      UNLOGGED,
      { enforceSSL: true },
    );
  },
});

const violationsOf = (stack: Stack) =>
  new AwsSolutionsChecks(app.app).validateScope(stack).violations.map((v) => ({
    rule: v.ruleName,
    resources: v.violatingResources.map((r) => r.resourceLogicalId),
  }));

describe('cdk-nag AwsSolutions', () => {
  it.each(['dev', 'staging', 'prod'] as const)('%s: no unacknowledged findings', (env) => {
    const stack = app.stack(env);
    expect(violationsOf(stack)).toEqual([]);
  });

  it('fails when a bucket without server access logs is added (the check is live)', () => {
    const probe = plantedProduct();
    const stack = probe.stack('prod');
    const rules = new AwsSolutionsChecks(probe.app).validateScope(stack).violations.map((v) => v.ruleName);
    expect(rules).toContain('AwsSolutions-S1');
  });

  it('has no findings for a load balancer restricted to a private CIDR, where no EC23 acknowledgement applies', () => {
    const probe = plantedProduct();
    const rules = new AwsSolutionsChecks(probe.app)
      .validateScope(probe.stack('staging'))
      .violations.map((v) => v.ruleName);
    expect(rules).toEqual([]);
  });
});

describe('cdk-nag runs against what cdk synth deploys', () => {
  it('includes the default-security-group restriction the CLI feature flags add', () => {
    app.template('dev').resourceCountIs('Custom::VpcRestrictDefaultSG', 1);
  });
});
