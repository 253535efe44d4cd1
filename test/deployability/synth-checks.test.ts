import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CfnImagePipeline } from 'aws-cdk-lib/aws-imagebuilder';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { buildApp } from '../../lib/app';
import type { BuiltApp } from '../../lib/app';
import { loadConfig } from '../../lib/config';
import type { EnvironmentConfig } from '../../lib/config';
import type { ImmutableStack } from '../../lib/stacks/immutable-stack';
import type { EnvironmentName } from '../../lambda/shared/environments';
import { bakeStack } from '../constructs/bake/bake-stack';
import { CDK_JSON_CONTEXT, configOf, scratchDir } from '../support/synth';

/**
 * What `cdk synth` checks on every template, run on one synthesis of the product (and one of a
 * product with a finding planted for each check, to show each check failing): cdk-nag's AWS
 * Solutions checks, registered by buildApp as bin/app.ts does, and CloudFormation's validation of
 * every template against the resource schemas the CDK ships (its built-in plugin).
 *
 * A property the schema does not know is a deploy that CloudFormation may refuse, so it is fixed,
 * never acknowledged: the pipeline once acknowledged ImageScanningTypes and ScanResultCondition
 * (F3002), which the CloudFormation template reference does not document for
 * AWS::ImageBuilder::ImagePipeline.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-imagebuilder-imagepipeline-imagescanningconfiguration.html
 * @see https://docs.aws.amazon.com/cdk/v2/guide/policy-validation-synthesis.html
 */
interface ValidationReport {
  readonly pluginReports: { pluginName: string; violations: { ruleName: string; description: string }[] }[];
}

interface Synthesized {
  readonly built: BuiltApp;
  /** Findings of the CloudFormation validation plugin, one line each. */
  readonly findings: string[];
  /** Why the synth failed, if it did. */
  readonly failure?: string;
  /** Every rule of the report, annotations included. */
  readonly rules: string[];
  /** Every acknowledgement of a CloudFormation validation finding, as `<path in its stack> <id>`. */
  readonly acknowledged: string[];
  /** The context lookups the synth could not answer. */
  readonly missing: unknown[];
  /** An environment's stack. */
  stack(env: EnvironmentName): ImmutableStack;
}

/**
 * Synthesize as `cdk synth` does: cdk.json's context, cdk-nag registered, CloudFormation
 * validation on; an unacknowledged finding fails the synth, as it fails `cdk synth`.
 */
function synthesize(
  options: { environments?: EnvironmentConfig[]; change?: (built: BuiltApp) => void } = {},
): Synthesized {
  const outdir = scratchDir();
  try {
    const configured = loadConfig({ sourceRevision: 'test' });
    const built = buildApp({
      outdir,
      nag: true,
      builtinCloudFormationValidation: true,
      context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [] },
      product: {
        imageFactory: configured.imageFactory,
        environments: options.environments ?? configured.environments,
      },
    });
    const { app } = built;
    options.change?.(built);
    let failure: string | undefined;
    let missing: unknown[] = [];
    try {
      const assembly = app.synth();
      // Templates are read from the assembly folder on first use: read them before it goes.
      for (const stack of assembly.stacks) void stack.template;
      missing = assembly.manifest.missing ?? [];
    } catch (e) {
      failure = (e as Error).message;
    }
    const file = join(outdir, 'validation-report.json');
    const report = existsSync(file)
      ? (JSON.parse(readFileSync(file, 'utf8')) as ValidationReport)
      : undefined;
    const reports = report?.pluginReports ?? [];
    return {
      built,
      ...(failure !== undefined ? { failure } : {}),
      findings: reports
        .filter((p) => p.pluginName === 'CloudFormation Validate')
        .flatMap((p) => p.violations.map((v) => `${v.ruleName}: ${v.description}`)),
      rules: reports.flatMap((p) => p.violations.map((v) => v.ruleName)),
      missing,
      acknowledged: app.node.findAll().flatMap((c: IConstruct) =>
        c.node.metadata
          .filter((m) => m.type === 'aws:cdk:acknowledged-rules')
          .flatMap((m) => Object.keys(m.data as Record<string, string>))
          .filter((id) => id.startsWith('CloudFormation-Validate::'))
          .map((id) => `${c.node.path.replace(/^Immutable-\w+/, '')} ${id}`),
      ),
      stack(env) {
        const found = built.stacks.find((s) => s.config.name === env);
        if (!found) throw new Error(`no stack for ${env}`);
        return found;
      },
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

const ENVS = ['dev', 'staging', 'prod'] as const;

/** The shipped configuration, synthesized once for every check below. */
let shipped: Synthesized;
beforeAll(() => {
  shipped = synthesize();
});

/**
 * The product with a finding planted for each check, synthesized once for the tests that show a
 * check failing: a property the CloudFormation schema does not know on the image pipeline, and a
 * bucket without server access logs in prod; staging's load balancer is restricted to a private
 * CIDR (a variant with nothing to find).
 */
let planted: Synthesized;
const PLANTED_BUCKET = 'UnloggedProbe';
const plantedProduct = (): Synthesized => {
  if (planted) return planted;
  const internal = configOf('staging');
  internal.fleet.loadBalancer = { ...internal.fleet.loadBalancer, ingressCidr: '10.0.0.0/8' };
  planted = synthesize({
    environments: [configOf('dev'), internal, configOf('prod')],
    change: (built) => {
      const pipeline = built.imageFactory.node
        .findAll()
        .find((c) => c instanceof CfnImagePipeline) as CfnImagePipeline;
      pipeline.addPropertyOverride('ImageScanningConfiguration.ScanResultCondition', {
        MaximumSeverityLabel: 'HIGH',
      });
      const prod = built.stacks.find((s) => s.config.name === 'prod');
      if (!prod) throw new Error('no prod stack');
      new s3.Bucket(prod, PLANTED_BUCKET, { enforceSSL: true });
    },
  });
  return planted;
};

/** cdk-nag's findings in `scope`, as the plugin `cdk synth` registers reports them. */
const violationsOf = (scope: IConstruct) =>
  new AwsSolutionsChecks(scope.node.root).validateScope(scope).violations.map((v) => ({
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

describe('cdk synth of the shipped configuration', () => {
  it('succeeds: cdk-nag and CloudFormation validation find nothing unacknowledged', () => {
    expect(shipped.failure).toBeUndefined();
  });

  it('needs no context lookup (nothing missing from the cloud assembly)', () => {
    expect(shipped.failure).toBeUndefined();
    expect(shipped.missing).toEqual([]);
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

describe('cdk-nag AwsSolutions: the image factory', () => {
  it('finds nothing unacknowledged in the bake pipeline', () => {
    expect(violationsOf(shipped.built.imageFactory.pipeline)).toEqual([]);
  });

  it('finds nothing unacknowledged anywhere in the image factory stack (network, events, routes)', () => {
    expect(violationsOf(shipped.built.imageFactory)).toEqual([]);
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

describe('acknowledged findings in the image factory', () => {
  it('in the pipeline, each name one finding and give a reason', () => {
    const acknowledged = acknowledgementsUnder(shipped.built.imageFactory.pipeline);
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const [id, reason] of acknowledged) {
      expect(id).toMatch(/^(Annotation::)?(AwsSolutions-(IAM4|IAM5)\[.+\]|AwsSolutions-S1)$/);
      expect(reason.length).toBeGreaterThan(40);
    }
  });

  it("in the factory's event handling, each name one finding on one resource and give a reason", () => {
    const acknowledged = acknowledgementsUnder(shipped.built.imageFactory.events);
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

describe('cdk-nag AwsSolutions: the environments', () => {
  const logicalViolationsOf = (stack: Stack) =>
    new AwsSolutionsChecks(stack.node.root).validateScope(stack).violations.map((v) => ({
      rule: v.ruleName,
      resources: v.violatingResources.map((r) => r.resourceLogicalId),
    }));

  it.each(ENVS)('%s: no unacknowledged findings', (env) => {
    expect(logicalViolationsOf(shipped.stack(env))).toEqual([]);
  });

  it('fails when a bucket without server access logs is added (the check is live)', () => {
    const rules = new AwsSolutionsChecks(plantedProduct().built.app)
      .validateScope(plantedProduct().stack('prod'))
      .violations.map((v) => v.ruleName);
    expect(rules).toContain('AwsSolutions-S1');
    // and the plugin `cdk synth` runs reports it
    expect(plantedProduct().rules).toContain('AwsSolutions-S1');
  });

  it('has no findings for a load balancer restricted to a private CIDR, where no EC23 acknowledgement applies', () => {
    const rules = new AwsSolutionsChecks(plantedProduct().built.app)
      .validateScope(plantedProduct().stack('staging'))
      .violations.map((v) => v.ruleName);
    expect(rules).toEqual([]);
  });
});

describe('cdk-nag runs against what cdk synth deploys', () => {
  it('includes the default-security-group restriction the CLI feature flags add', () => {
    Template.fromStack(shipped.stack('dev')).resourceCountIs('Custom::VpcRestrictDefaultSG', 1);
  });
});
