import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Validations } from 'aws-cdk-lib';
import type { Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { configOf, testApp } from '../../support/synth';
import type { TestApp } from '../../support/synth';

/** The feature flags `cdk synth` runs with (e.g. restrictDefaultSecurityGroup adds a custom resource). */
const CLI_CONTEXT = (
  JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  }
).context;

let app: TestApp;

beforeAll(() => {
  app = testApp({ context: CLI_CONTEXT });
  // Tested in immutable-fleet.test.ts; here it would only print the validation report.
  for (const stack of app.stacks) {
    Validations.of(stack).acknowledge({
      id: 'Annotation::immutable:fleet-two-zones',
      reason: 'The configured environments are environment-agnostic on purpose.',
    });
  }
  // Synthesize first: cdk-nag reads the prepared construct tree.
  for (const stack of app.stacks) app.template(stack.config.name);
});
afterAll(() => app.cleanup());

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
    const probe = testApp({ environments: [configOf('dev')] });
    const stack = probe.stacks[0]!;
    new s3.Bucket(stack, 'UnloggedProbe', { enforceSSL: true });
    probe.template('dev');
    const rules = new AwsSolutionsChecks(probe.app).validateScope(stack).violations.map((v) => v.ruleName);
    expect(rules).toContain('AwsSolutions-S1');
    probe.cleanup();
  });

  it('has no findings for a load balancer restricted to a private CIDR, where no EC23 acknowledgement applies', () => {
    const internal = configOf('staging');
    internal.fleet.loadBalancer = { ...internal.fleet.loadBalancer, ingressCidr: '10.0.0.0/8' };
    const probe = testApp({ environments: [internal] });
    probe.template('staging');
    const rules = new AwsSolutionsChecks(probe.app)
      .validateScope(probe.stacks[0]!)
      .violations.map((v) => v.ruleName);
    expect(rules).toEqual([]);
    probe.cleanup();
  });
});

describe('cdk-nag runs against what cdk synth deploys', () => {
  it('includes the default-security-group restriction the CLI feature flags add', () => {
    app.template('dev').resourceCountIs('Custom::VpcRestrictDefaultSG', 1);
  });
});
