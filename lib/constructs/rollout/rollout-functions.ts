import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { PROMOTION_HANDLERS, ROLLOUT_HANDLERS } from '../functions/handlers';
import type { RolloutHandler } from '../functions/handlers';
import { productFunction } from '../functions/product-function';
import { ROLLOUT_METRICS_NAMESPACE } from './metrics';

export { HANDLER_METADATA, ROLLOUT_HANDLERS, PROMOTION_HANDLERS, STEP_HANDLERS } from '../functions/handlers';
export type { RolloutHandler } from '../functions/handlers';

export interface RolloutFunctionsProps {
  /** Environment name, for function names and the Powertools service. */
  readonly environment: string;
  /** Log retention for every function's log group. */
  readonly logRetention: logs.RetentionDays;
  /**
   * Whether the environment takes another one's releases (its promotion's functions too).
   * @default false
   */
  readonly promotes?: boolean;
}

/** The rollout's Lambda functions (and, where the environment promotes, the promotion's), configured alike. */
export class RolloutFunctions extends Construct {
  private readonly functions = new Map<RolloutHandler, lambda.Function>();

  constructor(scope: Construct, id: string, props: RolloutFunctionsProps) {
    super(scope, id);
    const handlers: readonly RolloutHandler[] = [
      ...ROLLOUT_HANDLERS,
      ...(props.promotes ? PROMOTION_HANDLERS : []),
    ];
    for (const name of handlers) {
      this.functions.set(
        name,
        productFunction(this, name, {
          handler: name,
          description: `Immutable fleet rollout (${props.environment}): ${name}`,
          logRetention: props.logRetention,
          service: `immutable-rollout-${props.environment}`,
          metricsNamespace: ROLLOUT_METRICS_NAMESPACE,
        }),
      );
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
