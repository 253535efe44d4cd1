import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import {
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import * as module from '../../../lambda/handlers/check-canary';
import { at, canaryPlan, execution, group, instances, settings } from '../fixtures';
import { inputsOf } from '../sdk-mocks';
import { compose, stepVariables } from './compose';

const asg = mockClient(AutoScalingClient);
const elb = mockClient(ElasticLoadBalancingV2Client);

const handler = compose(module, stepVariables('check-canary'));

describe('check-canary handler', () => {
  it('counts healthy targets through its Auto Scaling and ELB clients, against the current time', async () => {
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
    const p = await handler({
      execution: execution(),
      plan: canaryPlan(),
      progress: {
        phase: 'launching',
        version: '8',
        capacity: 4,
        healthy: 0,
        ready: false,
        deadline: at(600).toISOString(),
        waitSeconds: 120,
        step: 0,
        weight: 0,
        done: false,
        judgements: [],
      },
    });
    expect(p).toMatchObject({ healthy: 2, ready: false, waitSeconds: 30 });
    expect(inputsOf(elb, DescribeTargetHealthCommand)).toEqual([
      { TargetGroupArn: settings().targetGroups.green },
    ]);
  });
});
