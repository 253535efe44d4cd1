import {
  DescribeListenersCommand,
  DescribeTargetHealthCommand,
  ModifyListenerCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Colour, ColourMap } from '../shared/colours';
import type { Listener, ListenerRef, TargetHealth, TargetView } from '../traffic/ports';

/**
 * The listener's default action: one weighted forward to both colours' target groups.
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html#forward-actions
 */
export class ElbListener implements Listener {
  constructor(private readonly elb: ElasticLoadBalancingV2Client) {}

  async weights(listener: ListenerRef): Promise<ColourMap<number>> {
    const out = await this.elb.send(new DescribeListenersCommand({ ListenerArns: [listener.listenerArn] }));
    const forward = out.Listeners?.[0]?.DefaultActions?.find((a) => a.Type === 'forward');
    const weightOf = (c: Colour) => {
      const tgs = forward?.ForwardConfig?.TargetGroups;
      if (tgs?.length) return tgs.find((t) => t.TargetGroupArn === listener.targetGroups[c])?.Weight ?? 0;
      // A plain forward to one target group sends it everything.
      return forward?.TargetGroupArn === listener.targetGroups[c] ? 100 : 0;
    };
    return { blue: weightOf('blue'), green: weightOf('green') };
  }

  async setWeights(listener: ListenerRef, weights: ColourMap<number>): Promise<void> {
    await this.elb.send(
      new ModifyListenerCommand({
        ListenerArn: listener.listenerArn,
        DefaultActions: [
          {
            Type: 'forward',
            ForwardConfig: {
              TargetGroups: (['blue', 'green'] as const).map((c) => ({
                TargetGroupArn: listener.targetGroups[c],
                Weight: weights[c],
              })),
              // No stickiness: a shifted weight must move requests now, not when sessions expire.
              TargetGroupStickinessConfig: { Enabled: false },
            },
          },
        ],
      }),
    );
  }
}

export class ElbTargetHealth implements TargetHealth {
  constructor(private readonly elb: ElasticLoadBalancingV2Client) {}

  async of(targetGroupArn: string): Promise<readonly TargetView[]> {
    const out = await this.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }));
    return (out.TargetHealthDescriptions ?? []).flatMap((t) =>
      t.Target?.Id === undefined ? [] : [{ id: t.Target.Id, state: t.TargetHealth?.State ?? 'unknown' }],
    );
  }
}
