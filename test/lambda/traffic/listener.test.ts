import {
  DescribeListenersCommand,
  ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Action } from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { allOn, readWeights, sameWeights, setWeights } from '../../../lambda/traffic/listener';
import { settings } from '../fixtures';
import { inputsOf } from '../sdk-mocks';

const elb = mockClient(ElasticLoadBalancingV2Client);
const s = settings();
const client = () => new ElasticLoadBalancingV2Client({});
const listener = (DefaultActions: Action[]) =>
  elb.on(DescribeListenersCommand).resolves({
    Listeners: [{ ListenerArn: s.listenerArn, Port: 443, Protocol: 'HTTPS', DefaultActions }],
  });

beforeEach(() => elb.reset());

describe('readWeights', () => {
  it('reads the weights of a weighted forward action, by target group', async () => {
    listener([
      {
        Type: 'forward',
        ForwardConfig: {
          TargetGroups: [
            { TargetGroupArn: s.targetGroups.green, Weight: 25 },
            { TargetGroupArn: s.targetGroups.blue, Weight: 75 },
          ],
        },
      },
    ]);
    expect(await readWeights(client(), s)).toEqual({ blue: 75, green: 25 });
    expect(inputsOf(elb, DescribeListenersCommand)).toEqual([{ ListenerArns: [s.listenerArn] }]);
  });

  it('reads a plain forward to one target group as all traffic on it', async () => {
    listener([{ Type: 'forward', TargetGroupArn: s.targetGroups.green }]);
    expect(await readWeights(client(), s)).toEqual({ blue: 0, green: 100 });
  });

  it('reads a colour missing from the forward action as weight 0', async () => {
    listener([
      {
        Type: 'forward',
        ForwardConfig: { TargetGroups: [{ TargetGroupArn: s.targetGroups.blue, Weight: 1 }] },
      },
    ]);
    expect(await readWeights(client(), s)).toEqual({ blue: 1, green: 0 });
  });

  it('finds the forward action among the others', async () => {
    listener([
      { Type: 'authenticate-oidc', Order: 1 },
      { Type: 'forward', Order: 2, TargetGroupArn: s.targetGroups.blue },
    ]);
    expect(await readWeights(client(), s)).toEqual({ blue: 100, green: 0 });
  });

  it('reads no traffic at all when the listener does not forward', async () => {
    listener([{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '503' } }]);
    expect(await readWeights(client(), s)).toEqual({ blue: 0, green: 0 });
  });
});

describe('setWeights', () => {
  it('replaces the default action with one weighted forward, stickiness off', async () => {
    elb.on(ModifyListenerCommand).resolves({});
    await setWeights(client(), s, { blue: 95, green: 5 });
    expect(inputsOf(elb, ModifyListenerCommand)).toEqual([
      {
        ListenerArn: s.listenerArn,
        DefaultActions: [
          {
            Type: 'forward',
            ForwardConfig: {
              TargetGroups: [
                { TargetGroupArn: s.targetGroups.blue, Weight: 95 },
                { TargetGroupArn: s.targetGroups.green, Weight: 5 },
              ],
              TargetGroupStickinessConfig: { Enabled: false },
            },
          },
        ],
      },
    ]);
  });

  it('propagates ELB errors', async () => {
    elb.on(ModifyListenerCommand).rejects(Object.assign(new Error('slow'), { name: 'Throttling' }));
    await expect(setWeights(client(), s, allOn('blue'))).rejects.toMatchObject({ name: 'Throttling' });
  });
});

describe('allOn and sameWeights', () => {
  it('puts everything on one colour', () => {
    expect(allOn('blue')).toEqual({ blue: 100, green: 0 });
    expect(allOn('green')).toEqual({ blue: 0, green: 100 });
  });

  it('compares both weights', () => {
    expect(sameWeights({ blue: 100, green: 0 }, allOn('blue'))).toBe(true);
    expect(sameWeights({ blue: 100, green: 1 }, allOn('blue'))).toBe(false);
    expect(sameWeights({ blue: 0, green: 100 }, allOn('blue'))).toBe(false);
  });
});
