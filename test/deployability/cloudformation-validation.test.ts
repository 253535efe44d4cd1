import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { IConstruct } from 'constructs';
import { CfnImagePipeline } from 'aws-cdk-lib/aws-imagebuilder';
import { buildApp } from '../../lib/app';
import type { BuiltApp } from '../../lib/app';
import { loadConfig } from '../../lib/config';
import type { EnvironmentConfig } from '../../lib/config';
import { CDK_JSON_CONTEXT, configOf, scratchDir } from '../support/synth';

/**
 * `cdk synth` validates every template against the CloudFormation resource schemas it ships with
 * (CDK's built-in CloudFormation validation plugin). A property the schema does not know is a
 * deploy that CloudFormation may refuse, so it is fixed, never acknowledged: the pipeline once
 * acknowledged ImageScanningTypes and ScanResultCondition (F3002), which the CloudFormation
 * template reference does not document for AWS::ImageBuilder::ImagePipeline.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-imagebuilder-imagepipeline-imagescanningconfiguration.html
 */
interface ValidationReport {
  readonly pluginReports: { pluginName: string; violations: { ruleName: string; description: string }[] }[];
}

interface Validated {
  /** Findings of the CloudFormation validation plugin, one line each. */
  readonly findings: string[];
  /** Why the synth failed, if it did. */
  readonly failure?: string;
  /** Every rule of the report, annotations included. */
  readonly rules: string[];
  /** Every acknowledgement of a CloudFormation validation finding, as `<path in its stack> <id>`. */
  readonly acknowledged: string[];
}

/** Synthesize as `cdk synth` does, with CloudFormation validation on (the tests' synths leave it off, for speed). */
function validate(
  options: { environments?: EnvironmentConfig[]; change?: (built: BuiltApp) => void } = {},
): Validated {
  const outdir = scratchDir();
  try {
    const configured = loadConfig({ sourceRevision: 'test' });
    const built = buildApp({
      outdir,
      nag: false,
      builtinCloudFormationValidation: true,
      context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [] },
      product: {
        imageFactory: configured.imageFactory,
        environments: options.environments ?? configured.environments,
      },
    });
    const { app } = built;
    options.change?.(built);
    // An unacknowledged error fails the synth, as it fails `cdk synth`.
    let failure: string | undefined;
    try {
      app.synth();
    } catch (e) {
      failure = (e as Error).message;
    }
    const file = join(outdir, 'validation-report.json');
    const report = existsSync(file)
      ? (JSON.parse(readFileSync(file, 'utf8')) as ValidationReport)
      : undefined;
    const reports = report?.pluginReports ?? [];
    return {
      ...(failure !== undefined ? { failure } : {}),
      findings: reports
        .filter((p) => p.pluginName === 'CloudFormation Validate')
        .flatMap((p) => p.violations.map((v) => `${v.ruleName}: ${v.description}`)),
      rules: reports.flatMap((p) => p.violations.map((v) => v.ruleName)),
      acknowledged: app.node.findAll().flatMap((c: IConstruct) =>
        c.node.metadata
          .filter((m) => m.type === 'aws:cdk:acknowledged-rules')
          .flatMap((m) => Object.keys(m.data as Record<string, string>))
          .filter((id) => id.startsWith('CloudFormation-Validate::'))
          .map((id) => `${c.node.path.replace(/^Immutable-\w+/, '')} ${id}`),
      ),
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

let shipped: Validated;
beforeAll(() => {
  shipped = validate();
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
    const probe = validate({
      environments: [configOf('dev')],
      change: ({ imageFactory }) => {
        const pipeline = imageFactory.node
          .findAll()
          .find((c) => c instanceof CfnImagePipeline) as CfnImagePipeline;
        pipeline.addPropertyOverride('ImageScanningConfiguration.ScanResultCondition', {
          MaximumSeverityLabel: 'HIGH',
        });
      },
    });
    expect(probe.failure).toMatch(/ScanResultCondition.*\(CloudFormation Validate\)/s);
    expect(probe.findings).toEqual([expect.stringMatching(/^F3002: .*ScanResultCondition/)]);
  });
});
