import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import {
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import type { PreparedCanary } from '../../../lambda/canary/colour';
import { handler } from '../../../lambda/handlers/check-canary';
import { at, canaryPlan, execution, group, instances, settings } from '../fixtures';
import { inputsOf } from '../sdk-mocks';
import { freezeClock } from './clock';

const asg = mockClient(AutoScalingClient);
const elb = mockClient(ElasticLoadBalancingV2Client);
freezeClock();
const progress = (deadline: Date): PreparedCanary => ({
  phase: 'launching',
  version: '8',
  capacity: 4,
  healthy: 0,
  ready: false,
  deadline: deadline.toISOString(),
  waitSeconds: 120,
  step: 0,
  weight: 0,
  done: false,
  judgements: [],
});

beforeEach(() => {
  asg.reset();
  elb.reset();
  asg.on(DescribeAutoScalingGroupsCommand).resolves({
    AutoScalingGroups: [
      group('immutable-dev-blue', { instances: instances(4) }),
      group('immutable-dev-green', { instances: instances(4, 10, { version: '8' }) }),
    ],
  });
  elb.on(DescribeTargetHealthCommand).resolves({
    TargetHealthDescriptions: instances(2, 10).map((i) => ({
      Target: { Id: i.id },
      TargetHealth: { State: 'healthy' },
    })),
  });
});

describe('check-canary handler', () => {
  it('counts healthy targets with its Auto Scaling and ELB clients', async () => {
    const p = await handler({
      settings: settings(),
      execution: execution(),
      plan: canaryPlan(),
      progress: progress(at(600)),
    });
    expect(p).toMatchObject({ healthy: 2, ready: false, waitSeconds: 30 });
    expect(inputsOf(elb, DescribeTargetHealthCommand)).toHaveLength(1);
  });

  it('fails with CanaryUnhealthy once the current time is past the deadline', async () => {
    await expect(
      handler({
        settings: settings(),
        execution: execution(),
        plan: canaryPlan(),
        progress: progress(at(0)),
      }),
    ).rejects.toMatchObject({ name: 'CanaryUnhealthy' });
  });
});
