import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { CfnResource } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { handlerCode } from './handler-code';
import { ROLLOUT_METRICS_NAMESPACE } from './metrics';

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

/**
 * How long a rollout function may run: a step makes a few AWS calls, each retried by the SDK.
 * Its task waits a little longer (TASK_TIMEOUT in the state machine), so a function timeout is
 * reported as one, not as the task's.
 */
export const FUNCTION_TIMEOUT = Duration.seconds(30);

/** CloudFormation metadata key naming the handler file behind a function (the rehearsal maps tasks with it). */
export const HANDLER_METADATA = 'immutable:handler';

export interface RolloutFunctionsProps {
  /** Environment name, for function names and the Powertools service. */
  readonly environment: string;
  /** Log retention for every function's log group. */
  readonly logRetention: logs.RetentionDays;
}

/** The rollout's Lambda functions, one per handler file, configured alike. */
export class RolloutFunctions extends Construct {
  private readonly functions = new Map<RolloutHandler, lambda.Function>();

  constructor(scope: Construct, id: string, props: RolloutFunctionsProps) {
    super(scope, id);
    for (const name of ROLLOUT_HANDLERS) {
      const logGroup = new logs.LogGroup(this, `${name}-logs`, {
        retention: props.logRetention,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      // Its own role, writing only to its own log group (no AWSLambdaBasicExecutionRole).
      const role = new iam.Role(this, `${name}-role`, {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description: `Immutable fleet rollout (${props.environment}): ${name}`,
      });
      logGroup.grantWrite(role);
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'X-Ray tracing and the Describe/GetMetricData reads in this policy support no resource-level permissions',
      });
      const fn = new lambda.Function(this, name, {
        role,
        code: handlerCode(name, ROLLOUT_HANDLERS),
        handler: 'index.handler',
        runtime: lambda.Runtime.NODEJS_24_X,
        architecture: lambda.Architecture.ARM_64,
        memorySize: 256,
        timeout: FUNCTION_TIMEOUT,
        description: `Immutable fleet rollout (${props.environment}): ${name}`,
        logGroup,
        tracing: lambda.Tracing.ACTIVE,
        environment: {
          NODE_OPTIONS: '--enable-source-maps',
          POWERTOOLS_SERVICE_NAME: `immutable-rollout-${props.environment}`,
          POWERTOOLS_METRICS_NAMESPACE: ROLLOUT_METRICS_NAMESPACE,
          POWERTOOLS_LOG_LEVEL: 'INFO',
        },
      });
      (fn.node.defaultChild as CfnResource).addMetadata(HANDLER_METADATA, name);
      this.functions.set(name, fn);
    }
  }

  get(name: RolloutHandler): lambda.Function {
    const fn = this.functions.get(name);
    if (!fn) throw new Error(`no rollout function ${name}`);
    return fn;
  }

  all(): lambda.Function[] {
    return [...this.functions.values()];
  }
}
