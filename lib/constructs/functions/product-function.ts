import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { CfnResource } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { handlerCode } from './handler-code';
import { HANDLER_METADATA } from './handlers';
import type { DeployedHandler } from './handlers';

export interface ProductFunctionProps {
  /** The handler file in lambda/handlers/. */
  readonly handler: DeployedHandler;
  /** What the function is for, in its description and its role's. */
  readonly description: string;
  readonly logRetention: logs.RetentionDays;
  /** Powertools' service name and metrics namespace. */
  readonly service: string;
  readonly metricsNamespace: string;
}

/**
 * One of the product's functions, all configured alike: the handler bundled as deployed, Node.js
 * 24 on arm64, its own log group and its own role that writes only there (no
 * AWSLambdaBasicExecutionRole), X-Ray tracing, and the handler's name in its metadata (the
 * rehearsal maps tasks to handlers with it).
 */
export function productFunction(scope: Construct, id: string, props: ProductFunctionProps): lambda.Function {
  const logGroup = new logs.LogGroup(scope, `${id}-logs`, {
    retention: props.logRetention,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const role = new iam.Role(scope, `${id}-role`, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: props.description,
  });
  logGroup.grantWrite(role);
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'X-Ray tracing and the Describe/GetMetricData reads in this policy support no resource-level permissions',
  });
  const fn = new lambda.Function(scope, id, {
    role,
    code: handlerCode(props.handler),
    handler: 'index.handler',
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture: lambda.Architecture.ARM_64,
    memorySize: 256,
    timeout: Duration.seconds(30),
    description: props.description,
    logGroup,
    tracing: lambda.Tracing.ACTIVE,
    environment: {
      NODE_OPTIONS: '--enable-source-maps',
      POWERTOOLS_SERVICE_NAME: props.service,
      POWERTOOLS_METRICS_NAMESPACE: props.metricsNamespace,
      POWERTOOLS_LOG_LEVEL: 'INFO',
    },
  });
  (fn.node.defaultChild as CfnResource).addMetadata(HANDLER_METADATA, props.handler);
  return fn;
}
