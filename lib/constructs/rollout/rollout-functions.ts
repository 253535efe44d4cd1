import { join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { CfnResource } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** Every Lambda the rollout uses, by the name of its file in lambda/handlers/. */
export const ROLLOUT_HANDLERS = [
  'validate-input',
  'ledger',
  'plan-rollout',
  'restore-safe-state',
  'start-refresh',
  'check-refresh',
  'prepare-canary',
  'check-canary',
  'shift-traffic',
  'judge-canary',
  'tag-release',
  'retire-colour',
  'on-image-available',
  'release-abandoned-lock',
] as const;
export type RolloutHandler = (typeof ROLLOUT_HANDLERS)[number];

/** CloudFormation metadata key naming the handler file behind a function (the rehearsal maps tasks with it). */
export const HANDLER_METADATA = 'immutable:handler';

export const HANDLERS_DIR = join(__dirname, '..', '..', '..', 'lambda', 'handlers');

/**
 * How every handler is bundled, here and in the benchmark: ESM so esbuild can tree-shake the
 * AWS SDK (about half the size of the CommonJS bundle), minified, SDK bundled so the code
 * runs against the client versions it was tested with, source maps for readable traces.
 */
export const BUNDLING: BundlingOptions = {
  format: OutputFormat.ESM,
  mainFields: ['module', 'main'],
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  target: 'node24',
  externalModules: [],
  // Some dependencies still call require(); give ESM output a require that works.
  banner: "import { createRequire as __cr } from 'module'; const require = __cr(import.meta.url);",
};

export interface RolloutFunctionsProps {
  /** Environment name, for function names and the Powertools service. */
  readonly environment: string;
  /** Log retention for every function's log group. */
  readonly logRetention: logs.RetentionDays;
}

/** The rollout's Lambda functions, one per handler file, configured alike. */
export class RolloutFunctions extends Construct {
  private readonly functions = new Map<RolloutHandler, NodejsFunction>();

  constructor(scope: Construct, id: string, props: RolloutFunctionsProps) {
    super(scope, id);
    for (const name of ROLLOUT_HANDLERS) {
      const logGroup = new logs.LogGroup(this, `${name}-logs`, {
        retention: props.logRetention,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      const fn = new NodejsFunction(this, name, {
        entry: join(HANDLERS_DIR, `${name}.ts`),
        handler: 'handler',
        runtime: lambda.Runtime.NODEJS_24_X,
        architecture: lambda.Architecture.ARM_64,
        memorySize: 256,
        timeout: Duration.seconds(30),
        description: `Immutable fleet rollout (${props.environment}): ${name}`,
        bundling: BUNDLING,
        logGroup,
        tracing: lambda.Tracing.ACTIVE,
        environment: {
          NODE_OPTIONS: '--enable-source-maps',
          POWERTOOLS_SERVICE_NAME: `immutable-rollout-${props.environment}`,
          POWERTOOLS_METRICS_NAMESPACE: 'ImmutableFleet',
          POWERTOOLS_LOG_LEVEL: 'INFO',
        },
      });
      (fn.node.defaultChild as CfnResource).addMetadata(HANDLER_METADATA, name);
      this.functions.set(name, fn);
    }
  }

  get(name: RolloutHandler): NodejsFunction {
    const fn = this.functions.get(name);
    if (!fn) throw new Error(`no rollout function ${name}`);
    return fn;
  }

  all(): NodejsFunction[] {
    return [...this.functions.values()];
  }
}
