import type { CfnTemplate } from '../deployment';
import { SimulatedDeployment } from '../deployment';
import { deployedEnvironment } from '../deployed-environment';
import type { DeployedEnvironment } from '../deployed-environment';
import { isDeployedHandler } from '../deployed-handlers';
import { CompiledMachine } from '../run/compiled-machine';
import type { StackPlacement } from '../synth';

/** The image factory's stack, among the environments' (which are named after their environment). */
export const IMAGE_FACTORY = 'image-factory';

/** A deployed function, as its stack's template defines it. */
export interface FunctionSpec {
  readonly arn: string;
  /** The `immutable:handler` metadata: which deployed handler it runs. */
  readonly handler: string;
  /** The stack it belongs to: an environment, or the image factory. */
  readonly stack: string;
  readonly account: string;
  readonly region: string;
  /** Its environment variables, resolved as CloudFormation would (Lambda adds AWS_REGION). */
  readonly variables: Readonly<Record<string, string>>;
  /**
   * Asynchronous invocation (EventBridge invokes this way): retries after an error (Lambda's
   * default is 2), and where the event goes once they are spent (the on-failure destination).
   * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
   */
  readonly retryAttempts: number;
  readonly onFailure?: string;
}

/** An EventBridge rule of a stack (on its account and region's default bus), with what it invokes. */
export interface RuleSpec {
  readonly stack: string;
  readonly id: string;
  readonly account: string;
  readonly region: string;
  readonly pattern: unknown;
  /** The targets' ARNs: functions, or another account's or region's bus. */
  readonly targets: readonly string[];
}

/** What a state machine of the product is for. */
export type MachineKind = 'rollout' | 'promotion';

export interface MachineSpec {
  readonly stack: string;
  readonly kind: MachineKind;
  readonly compiled: CompiledMachine;
}

/**
 * One stack, read once for any number of runs: its deployment (resolved where it is pinned), its
 * functions, its rules and its state machines (compiled: building the local machine validates
 * the definition, up to a second each), and for an environment what it deployed.
 */
export class CompiledStack {
  readonly deployment: SimulatedDeployment;
  readonly functions: readonly FunctionSpec[];
  readonly rules: readonly RuleSpec[];
  readonly machines: readonly MachineSpec[];
  /** An environment's deployment (settings, state machines); undefined for the image factory. */
  readonly environment?: DeployedEnvironment;

  constructor(
    readonly name: string,
    template: CfnTemplate,
    readonly placement: StackPlacement,
  ) {
    this.deployment = new SimulatedDeployment(template, {
      account: placement.account,
      region: placement.region,
      stackName: name === IMAGE_FACTORY ? 'immutable-images' : `immutable-${name}`,
    });
    this.functions = functionsOf(name, this.deployment);
    this.rules = rulesOf(name, this.deployment);
    if (name === IMAGE_FACTORY) {
      this.machines = [];
      return;
    }
    const environment = deployedEnvironment(this.deployment);
    this.environment = environment;
    this.machines = [
      {
        stack: name,
        kind: 'rollout',
        compiled: new CompiledMachine(this.deployment, environment.rolloutStateMachine),
      },
      ...(environment.promotionStateMachine
        ? [
            {
              stack: name,
              kind: 'promotion' as const,
              compiled: new CompiledMachine(this.deployment, environment.promotionStateMachine),
            },
          ]
        : []),
    ];
  }

  /** The environment's rollout state machine. */
  get rollout(): CompiledMachine {
    const rollout = this.machines.find((m) => m.kind === 'rollout');
    if (!rollout) throw new Error(`${this.name} has no rollout state machine`);
    return rollout.compiled;
  }

  /** An environment stack's deployment; throws for the image factory. */
  get deployed(): DeployedEnvironment {
    if (!this.environment) throw new Error(`${this.name} is not an environment`);
    return this.environment;
  }
}

function functionsOf(stack: string, d: SimulatedDeployment): FunctionSpec[] {
  const asyncConfig = new Map<string, { retries?: number; onFailure?: string }>();
  for (const id of d.ofType('AWS::Lambda::EventInvokeConfig')) {
    const p = d.properties(id) as {
      FunctionName?: string;
      MaximumRetryAttempts?: number;
      DestinationConfig?: { OnFailure?: { Destination?: string } };
    };
    asyncConfig.set(String(p.FunctionName), {
      ...(p.MaximumRetryAttempts !== undefined ? { retries: p.MaximumRetryAttempts } : {}),
      ...(p.DestinationConfig?.OnFailure?.Destination
        ? { onFailure: p.DestinationConfig.OnFailure.Destination }
        : {}),
    });
  }
  return d.ofType('AWS::Lambda::Function').flatMap((id): FunctionSpec[] => {
    const handler = d.resource(id).Metadata?.['immutable:handler'];
    if (typeof handler !== 'string') return [];
    if (!isDeployedHandler(handler))
      throw new Error(`function ${id} runs handler ${handler}, which the rehearsal does not know`);
    const props = d.properties(id) as { Environment?: { Variables?: Record<string, unknown> } };
    const arn = d.arnOf(id);
    // EventInvokeConfig names the function by name (Ref) or ARN.
    const config = asyncConfig.get(d.nameOf(id)) ?? asyncConfig.get(arn) ?? {};
    return [
      {
        arn,
        handler,
        stack,
        account: d.account,
        region: d.region,
        variables: Object.fromEntries(
          Object.entries(props.Environment?.Variables ?? {}).map(([k, v]) => [k, String(v)]),
        ),
        retryAttempts: config.retries ?? 2,
        ...(config.onFailure ? { onFailure: config.onFailure } : {}),
      },
    ];
  });
}

/** The rules that match events on the default bus (schedules are not run by a rehearsal). */
function rulesOf(stack: string, d: SimulatedDeployment): RuleSpec[] {
  return d.ofType('AWS::Events::Rule').flatMap((id): RuleSpec[] => {
    const p = d.properties(id) as {
      EventPattern?: unknown;
      State?: string;
      EventBusName?: string;
      Targets?: Array<{ Arn: string }>;
    };
    if (!p.EventPattern || p.State === 'DISABLED') return [];
    if (p.EventBusName && p.EventBusName !== 'default') return [];
    return [
      {
        stack,
        id,
        account: d.account,
        region: d.region,
        pattern: p.EventPattern,
        targets: (p.Targets ?? []).map((t) => String(t.Arn)),
      },
    ];
  });
}
