import type {
  DescribeListenersCommandInput,
  DescribeListenersCommandOutput,
  DescribeTargetHealthCommandInput,
  DescribeTargetHealthCommandOutput,
  ModifyListenerCommandInput,
  ModifyListenerCommandOutput,
  TargetHealthDescription,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { awsError, SimulatorUnsupportedError } from '../errors';
import type { World } from '../world';
import { Validator } from './validate';

type Out<T> = Omit<T, '$metadata'>;
const invalid: Validator = new Validator('elbv2', 'ValidationError');

/** ELBv2: the one listener (weighted forward to the two target groups) and target health. */
export class Elbv2Service {
  constructor(private readonly world: World) {}

  /** @see https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeListeners.html */
  describeListeners(input: DescribeListenersCommandInput): Out<DescribeListenersCommandOutput> {
    const listener = this.world.spec.listener;
    if (input.ListenerArns && input.LoadBalancerArn)
      invalid.fail('Listener ARNs and a load balancer ARN cannot be specified at the same time');
    if (input.ListenerArns) {
      const missing = input.ListenerArns.filter((a) => a !== listener.arn);
      if (missing.length) throw awsError('elbv2', 'ListenerNotFound', `One or more listeners not found`);
    } else if (input.LoadBalancerArn !== listener.loadBalancerArn) {
      throw awsError('elbv2', 'LoadBalancerNotFound', 'One or more load balancers not found');
    }
    return { Listeners: [this.describeListener()] };
  }

  /**
   * Only the default action may change: one `forward` action whose ForwardConfig lists up to five
   * target groups with weights 0-999.
   * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_ModifyListener.html
   * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_ForwardActionConfig.html
   * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetGroupTuple.html
   */
  modifyListener(input: ModifyListenerCommandInput): Out<ModifyListenerCommandOutput> {
    const listener = this.world.spec.listener;
    invalid.required(input.ListenerArn, 'listenerArn');
    if (input.ListenerArn !== listener.arn)
      throw awsError('elbv2', 'ListenerNotFound', 'One or more listeners not found');
    const other = [
      'Port',
      'Protocol',
      'SslPolicy',
      'Certificates',
      'AlpnPolicy',
      'MutualAuthentication',
    ] as const;
    for (const key of other)
      if (input[key] !== undefined)
        throw new SimulatorUnsupportedError(`ModifyListener ${key} is not simulated`);
    const actions = input.DefaultActions;
    if (!actions) return { Listeners: [this.describeListener()] };
    if (actions.length !== 1)
      throw new SimulatorUnsupportedError(
        `ModifyListener with ${actions.length} default actions is not simulated`,
      );
    const action = actions[0] as NonNullable<typeof actions>[number];
    if (action.Type !== 'forward')
      throw new SimulatorUnsupportedError(
        `ModifyListener default action type ${action.Type} is not simulated`,
      );
    const tuples =
      action.ForwardConfig?.TargetGroups ??
      (action.TargetGroupArn ? [{ TargetGroupArn: action.TargetGroupArn, Weight: 1 }] : undefined);
    if (!tuples?.length) invalid.fail('A forward action must specify a target group');
    if (tuples.length > 5)
      throw awsError('elbv2', 'TooManyTargetGroups', 'A forward action can have at most 5 target groups');
    if (action.TargetGroupArn && action.ForwardConfig?.TargetGroups) {
      const only = action.ForwardConfig.TargetGroups;
      if (only.length !== 1 || only[0]?.TargetGroupArn !== action.TargetGroupArn)
        invalid.fail(
          'TargetGroupArn and ForwardConfig must name the same single target group when both are given',
        );
    }
    const next = new Map<string, number>();
    for (const tuple of tuples) {
      const arn = tuple.TargetGroupArn;
      invalid.required(arn, 'defaultActions.member.1.forwardConfig.targetGroups.member.targetGroupArn');
      if (!this.world.spec.targetGroups.some((t) => t.arn === arn))
        throw awsError('elbv2', 'TargetGroupNotFound', `Target groups '${arn}' not found`);
      if (next.has(arn as string)) invalid.fail(`Target group '${arn}' is specified more than once`);
      const weight = tuple.Weight ?? 1;
      invalid.integer(weight, 'defaultActions.member.1.forwardConfig.targetGroups.member.weight', 0, 999);
      next.set(arn as string, weight);
    }
    for (const target of this.world.spec.targetGroups)
      this.world.weights.set(target.arn, next.get(target.arn) ?? 0);
    return { Listeners: [this.describeListener()] };
  }

  /**
   * Pending instances are `initial`, InService ones `healthy`, or `initial` then `unhealthy` while
   * they fail their checks, terminating and detaching ones `draining`.
   * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeTargetHealth.html
   * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetHealth.html
   */
  describeTargetHealth(input: DescribeTargetHealthCommandInput): Out<DescribeTargetHealthCommandOutput> {
    invalid.required(input.TargetGroupArn, 'targetGroupArn');
    if (!this.world.spec.targetGroups.some((t) => t.arn === input.TargetGroupArn))
      throw awsError('elbv2', 'TargetGroupNotFound', `Target groups '${input.TargetGroupArn}' not found`);
    const group = this.world.groupsByTargetGroup.get(input.TargetGroupArn as string);
    const instances = group ? [...group.live.values(), ...group.draining.values()] : [];
    let descriptions: TargetHealthDescription[] = instances.map((i) => {
      const health =
        i.state === 'Pending'
          ? { State: 'initial' as const, Reason: 'Elb.RegistrationInProgress' as const }
          : i.state === 'Terminating' || i.state === 'Detaching'
            ? { State: 'draining' as const, Reason: 'Target.DeregistrationInProgress' as const }
            : i.targetHealthy
              ? { State: 'healthy' as const }
              : i.targetInitial
                ? { State: 'initial' as const, Reason: 'Elb.InitialHealthChecking' as const }
                : { State: 'unhealthy' as const, Reason: 'Target.FailedHealthChecks' as const };
      return { Target: { Id: i.id, Port: 80 }, HealthCheckPort: '80', TargetHealth: health };
    });
    if (input.Targets?.length) {
      const wanted = new Set(input.Targets.map((t) => t.Id));
      const known = new Set(descriptions.map((d) => d.Target?.Id));
      const unknown = [...wanted].filter((id) => !known.has(id));
      if (unknown.length)
        throw awsError(
          'elbv2',
          'InvalidTarget',
          `The following targets are not registered: ${unknown.join(', ')}`,
        );
      descriptions = descriptions.filter((d) => wanted.has(d.Target?.Id));
    }
    return { TargetHealthDescriptions: descriptions };
  }

  private describeListener() {
    const listener = this.world.spec.listener;
    const targetGroups = this.world.spec.targetGroups
      .filter((t) => (this.world.weights.get(t.arn) ?? 0) > 0 || t.arn in listener.weights)
      .map((t) => ({ TargetGroupArn: t.arn, Weight: this.world.weights.get(t.arn) ?? 0 }));
    return {
      ListenerArn: listener.arn,
      LoadBalancerArn: listener.loadBalancerArn,
      Port: 80,
      Protocol: 'HTTP' as const,
      DefaultActions: [
        {
          Type: 'forward' as const,
          ForwardConfig: { TargetGroups: targetGroups, TargetGroupStickinessConfig: { Enabled: false } },
        },
      ],
    };
  }
}
