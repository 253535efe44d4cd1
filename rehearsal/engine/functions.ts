import type { SimulatedCloud } from '../cloud';
import { buildHandler } from '../deployed-handlers';
import type { BuiltHandler } from '../deployed-handlers';
import type { AccountRegion } from '../simulator/account-region';
import type { StubTarget } from '../simulator/sdk-routes';
import type { StepFunctionsApi } from '../simulator/services/step-functions';
import type { FunctionSpec } from './stack';

/** Step Functions as one function calls it: the service knows who started an execution. */
export type CallerAwareStepFunctions = (caller: FunctionSpec) => StepFunctionsApi;

/**
 * The product's functions in one run: each built on its first invocation (a cold start) by its
 * handler module from its variables as deployed, SDK clients of its own account and region and
 * the simulated clock.
 */
export class RunFunctions {
  private readonly built = new Map<string, BuiltHandler>();
  readonly specs: ReadonlyMap<string, FunctionSpec>;

  constructor(
    specs: readonly FunctionSpec[],
    private readonly cloud: SimulatedCloud,
    private readonly stepFunctions: CallerAwareStepFunctions,
  ) {
    this.specs = new Map(specs.map((f) => [f.arn, f]));
  }

  /** The function deployed at `arn`, or undefined. */
  spec(arn: string): FunctionSpec | undefined {
    return this.specs.get(arn);
  }

  /** Invokes the function `arn` with (a copy of) `event`: its result, or its error. */
  invoke(arn: string, event: unknown): Promise<unknown> {
    const spec = this.specs.get(arn);
    if (!spec) return Promise.reject(new Error(`no deployed function ${arn} in this rehearsal`));
    let handler = this.built.get(arn);
    if (!handler) {
      try {
        handler = buildHandler(
          spec.handler,
          { ...spec.variables, AWS_REGION: spec.region },
          this.cloud.clients(spec.account, spec.region, (place) =>
            withStepFunctions(place, this.stepFunctions(spec)),
          ),
          () => this.cloud.now(),
        );
      } catch (e) {
        return Promise.reject(e instanceof Error ? e : new Error(String(e)));
      }
      this.built.set(arn, handler);
    }
    return handler(structuredClone(event));
  }
}

/** The account and region as `place`, but with Step Functions answered by `sfn`. */
function withStepFunctions(place: AccountRegion, sfn: StepFunctionsApi): StubTarget {
  return {
    get autoScaling() {
      return place.autoScaling;
    },
    get ec2() {
      return place.ec2;
    },
    get elbv2() {
      return place.elbv2;
    },
    get cloudWatch() {
      return place.cloudWatch;
    },
    get ssm() {
      return place.ssm;
    },
    get dynamodb() {
      return place.dynamodb;
    },
    get sns() {
      return place.sns;
    },
    get imageBuilder() {
      return place.imageBuilder;
    },
    get events() {
      return place.events;
    },
    sfn,
    get apiCalls() {
      return place.apiCalls;
    },
    call: (service, command, handler) => place.call(service, command, handler),
    unsupported: (service, command) => place.unsupported(service, command),
  };
}
