import {
  DescribeListenersCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Action } from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { ElbListener, ElbTargetHealth } from '../../../lambda/aws/elb';
import { instanceId, settings } from '../fixtures';
import { inputsOf } from '../sdk-mocks';

const elb = mockClient(ElasticLoadBalancingV2Client);
const s = settings();
const listener = () => new ElbListener(new ElasticLoadBalancingV2Client({}));
const defaultActions = (DefaultActions: Action[]) =>
  elb.on(DescribeListenersCommand).resolves({
    Listeners: [{ ListenerArn: s.listenerArn, Port: 443, Protocol: 'HTTPS', DefaultActions }],
  });

beforeEach(() => elb.reset());

describe('ElbListener.weights', () => {
  it('reads the weights of a weighted forward action, by target group', async () => {
    defaultActions([
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
    expect(await listener().weights(s)).toEqual({ blue: 75, green: 25 });
    expect(inputsOf(elb, DescribeListenersCommand)).toEqual([{ ListenerArns: [s.listenerArn] }]);
  });

  it('reads a plain forward to one target group as all traffic on it', async () => {
    defaultActions([{ Type: 'forward', TargetGroupArn: s.targetGroups.green }]);
    expect(await listener().weights(s)).toEqual({ blue: 0, green: 100 });
  });

  it('reads a colour missing from the forward action as weight 0', async () => {
    defaultActions([
      {
        Type: 'forward',
        ForwardConfig: { TargetGroups: [{ TargetGroupArn: s.targetGroups.blue, Weight: 1 }] },
      },
    ]);
    expect(await listener().weights(s)).toEqual({ blue: 1, green: 0 });
  });

  it('finds the forward action among the others', async () => {
    defaultActions([
      { Type: 'authenticate-oidc', Order: 1 },
      { Type: 'forward', Order: 2, TargetGroupArn: s.targetGroups.blue },
    ]);
    expect(await listener().weights(s)).toEqual({ blue: 100, green: 0 });
  });

  it('reads no traffic at all when the listener does not forward', async () => {
    defaultActions([{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '503' } }]);
    expect(await listener().weights(s)).toEqual({ blue: 0, green: 0 });
  });
});

describe('ElbListener.setWeights', () => {
  it('replaces the default action with one weighted forward, stickiness off', async () => {
    elb.on(ModifyListenerCommand).resolves({});
    await listener().setWeights(s, { blue: 95, green: 5 });
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
    await expect(listener().setWeights(s, { blue: 100, green: 0 })).rejects.toMatchObject({
      name: 'Throttling',
    });
  });
});

describe('ElbTargetHealth', () => {
  it("reads one target group's targets with their states, leaving out a target without an id", async () => {
    elb.on(DescribeTargetHealthCommand).resolves({
      TargetHealthDescriptions: [
        {
          Target: { Id: instanceId(1), Port: 80 },
          HealthCheckPort: '80',
          TargetHealth: { State: 'healthy' },
        },
        { Target: { Id: instanceId(2), Port: 80 }, TargetHealth: { State: 'draining' } },
        { Target: { Id: instanceId(3) } },
        { TargetHealth: { State: 'healthy' } },
      ],
    });
    const health = new ElbTargetHealth(new ElasticLoadBalancingV2Client({}));
    expect(await health.of(s.targetGroups.green)).toEqual([
      { id: instanceId(1), state: 'healthy' },
      { id: instanceId(2), state: 'draining' },
      { id: instanceId(3), state: 'unknown' },
    ]);
    expect(inputsOf(elb, DescribeTargetHealthCommand)).toEqual([{ TargetGroupArn: s.targetGroups.green }]);
  });
});
