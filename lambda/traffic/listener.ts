import { DescribeListenersCommand, ModifyListenerCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Colour, ColourMap } from '../shared/colours';
import type { WorkflowSettings } from '../shared/settings';

/**
 * The listener's weighted forward action is the one switch between colours. Weights are
 * percentages (ALB accepts 0-999 and routes by their ratio).
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html#forward-actions
 */
export async function readWeights(
  elb: ElasticLoadBalancingV2Client,
  s: WorkflowSettings,
): Promise<ColourMap<number>> {
  const out = await elb.send(new DescribeListenersCommand({ ListenerArns: [s.listenerArn] }));
  const forward = out.Listeners?.[0]?.DefaultActions?.find((a) => a.Type === 'forward');
  const weightOf = (c: Colour) => {
    const tgs = forward?.ForwardConfig?.TargetGroups;
    if (tgs?.length) return tgs.find((t) => t.TargetGroupArn === s.targetGroups[c])?.Weight ?? 0;
    // A plain forward to one target group sends it everything.
    return forward?.TargetGroupArn === s.targetGroups[c] ? 100 : 0;
  };
  return { blue: weightOf('blue'), green: weightOf('green') };
}

export async function setWeights(
  elb: ElasticLoadBalancingV2Client,
  s: WorkflowSettings,
  weights: ColourMap<number>,
): Promise<void> {
  await elb.send(
    new ModifyListenerCommand({
      ListenerArn: s.listenerArn,
      DefaultActions: [
        {
          Type: 'forward',
          ForwardConfig: {
            TargetGroups: (['blue', 'green'] as const).map((c) => ({
              TargetGroupArn: s.targetGroups[c],
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

export const allOn = (colour: Colour): ColourMap<number> =>
  colour === 'blue' ? { blue: 100, green: 0 } : { blue: 0, green: 100 };

export const sameWeights = (a: ColourMap<number>, b: ColourMap<number>) =>
  a.blue === b.blue && a.green === b.green;
