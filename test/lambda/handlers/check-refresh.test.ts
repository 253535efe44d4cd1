import { AutoScalingClient, DescribeInstanceRefreshesCommand } from '@aws-sdk/client-auto-scaling';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../../lambda/handlers/check-refresh';
import { at, execution, refreshPlan, settings } from '../fixtures';
import { freezeClock } from './clock';

const asg = mockClient(AutoScalingClient);
freezeClock();
const progress = {
  refreshId: 'ir-1',
  version: '8',
  status: 'Pending',
  percentageComplete: 0,
  done: false,
  waitSeconds: 180,
  startedAt: at(-100).toISOString(),
};

beforeEach(() => asg.reset());

describe('check-refresh handler', () => {
  it('polls with its Auto Scaling client and times the next poll from the current time', async () => {
    asg.on(DescribeInstanceRefreshesCommand).resolves({
      InstanceRefreshes: [
        { InstanceRefreshId: 'ir-1', Status: 'InProgress', PercentageComplete: 0, StartTime: at(-100) },
      ],
    });
    // 180 s expected, 100 s elapsed
    expect(
      await handler({ settings: settings(), execution: execution(), plan: refreshPlan(), progress }),
    ).toMatchObject({ status: 'InProgress', done: false, waitSeconds: 80 });
  });

  it('fails with RefreshFailed, the name the state machine catches', async () => {
    asg.on(DescribeInstanceRefreshesCommand).resolves({
      InstanceRefreshes: [{ InstanceRefreshId: 'ir-1', Status: 'Failed', StatusReason: 'launch failed' }],
    });
    await expect(
      handler({ settings: settings(), execution: execution(), plan: refreshPlan(), progress }),
    ).rejects.toMatchObject({
      name: 'RefreshFailed',
      message: expect.stringContaining('reason: launch failed'),
    });
  });
});
