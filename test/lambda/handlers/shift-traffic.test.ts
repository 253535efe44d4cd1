import {
  ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import * as module from '../../../lambda/handlers/shift-traffic';
import { canaryPlan, canaryProgress, execution, NOW, settings } from '../fixtures';
import { inputsOf } from '../sdk-mocks';
import { compose, stepVariables } from './compose';

const elb = mockClient(ElasticLoadBalancingV2Client);

const handler = compose(module, stepVariables('shift-traffic'));

describe('shift-traffic handler', () => {
  it('sets the step weights through its ELB client and starts the bake now', async () => {
    elb.on(ModifyListenerCommand).resolves({});
    const s = settings();
    const p = await handler({
      execution: execution(),
      plan: canaryPlan(),
      progress: canaryProgress({ step: 1 }),
    });
    expect(p).toMatchObject({ weight: 50, stepStartedAt: NOW.toISOString() });
    expect(
      inputsOf(elb, ModifyListenerCommand).map((i) => i.DefaultActions?.[0]?.ForwardConfig?.TargetGroups),
    ).toEqual([
      [
        { TargetGroupArn: s.targetGroups.blue, Weight: 50 },
        { TargetGroupArn: s.targetGroups.green, Weight: 50 },
      ],
    ]);
  });

  it('shifts the listener and target groups its deployment names, whatever its event says', async () => {
    elb.on(ModifyListenerCommand).resolves({});
    const s = settings();
    const elsewhere = 'arn:aws:elasticloadbalancing:eu-west-1:999988887777:listener/app/other/1/2';
    // A payload naming other resources (a direct invocation, say) changes nothing of what it acts on.
    await handler({
      settings: {
        ...s,
        listenerArn: elsewhere,
        targetGroups: { blue: `${elsewhere}-blue`, green: `${elsewhere}-green` },
      },
      execution: execution(),
      plan: canaryPlan(),
      progress: canaryProgress({ step: 1 }),
    } as never);
    const [input] = inputsOf(elb, ModifyListenerCommand);
    expect(input?.ListenerArn).toBe(s.listenerArn);
    expect(input?.DefaultActions?.[0]?.ForwardConfig?.TargetGroups?.map((t) => t.TargetGroupArn)).toEqual([
      s.targetGroups.blue,
      s.targetGroups.green,
    ]);
  });
});
