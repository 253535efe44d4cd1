import { AutoScalingClient, DescribeInstanceRefreshesCommand } from '@aws-sdk/client-auto-scaling';
import { mockClient } from 'aws-sdk-client-mock';
import * as module from '../../../lambda/handlers/check-refresh';
import { at, execution, refreshPlan } from '../fixtures';
import { inputsOf } from '../sdk-mocks';
import { compose, stepVariables } from './compose';

const asg = mockClient(AutoScalingClient);

const handler = compose(module, stepVariables('check-refresh'));

describe('check-refresh handler', () => {
  it('polls through its Auto Scaling client and times the next poll from the current time', async () => {
    asg.on(DescribeInstanceRefreshesCommand).resolves({
      InstanceRefreshes: [
        { InstanceRefreshId: 'ir-1', Status: 'InProgress', PercentageComplete: 0, StartTime: at(-100) },
      ],
    });
    const progress = {
      refreshId: 'ir-1',
      version: '8',
      status: 'Pending',
      percentageComplete: 0,
      done: false,
      waitSeconds: 180,
      startedAt: at(-100).toISOString(),
    };
    // 180 s expected, 100 s elapsed
    expect(await handler({ execution: execution(), plan: refreshPlan(), progress })).toMatchObject({
      status: 'InProgress',
      done: false,
      waitSeconds: 80,
    });
    expect(inputsOf(asg, DescribeInstanceRefreshesCommand)).toEqual([
      { AutoScalingGroupName: 'immutable-dev-blue', InstanceRefreshIds: ['ir-1'] },
    ]);
  });
});
