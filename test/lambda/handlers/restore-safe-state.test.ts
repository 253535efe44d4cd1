import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  DescribeInstanceRefreshesCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import {
  DescribeListenersCommand,
  ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import * as module from '../../../lambda/handlers/restore-safe-state';
import { execution, fleet, group, instances, settings } from '../fixtures';
import { inputsOf } from '../sdk-mocks';
import { compose, stepVariables } from './compose';

const asg = mockClient(AutoScalingClient);
const elb = mockClient(ElasticLoadBalancingV2Client);

const handler = compose(module, stepVariables('restore-safe-state'));

describe('restore-safe-state handler', () => {
  it('restores traffic through its ELB client and rests the idle colour through its Auto Scaling client', async () => {
    const s = settings();
    elb.on(DescribeListenersCommand).resolves({
      Listeners: [{ DefaultActions: [{ Type: 'forward', TargetGroupArn: s.targetGroups.green }] }],
    });
    elb.on(ModifyListenerCommand).resolves({});
    asg.on(DescribeAutoScalingGroupsCommand).resolves({
      AutoScalingGroups: [
        group('immutable-dev-blue', { instances: instances(2) }),
        group('immutable-dev-green', { min: 2, desired: 2, instances: instances(2, 10) }),
      ],
    });
    asg.on(DescribeInstanceRefreshesCommand).resolves({ InstanceRefreshes: [] });
    asg.on(UpdateAutoScalingGroupCommand).resolves({});
    const r = await handler({ execution: execution(), fleet: fleet() });
    expect(r.actions).toEqual([
      'listener weights 0/100 → all on blue',
      'scaled idle green group immutable-dev-green from 2 to 0',
    ]);
    expect(inputsOf(elb, ModifyListenerCommand)).toHaveLength(1);
    expect(inputsOf(asg, DescribeInstanceRefreshesCommand)).toEqual([
      { AutoScalingGroupName: 'immutable-dev-blue', MaxRecords: 1 },
    ]);
    expect(inputsOf(asg, UpdateAutoScalingGroupCommand)).toEqual([
      { AutoScalingGroupName: 'immutable-dev-green', MinSize: 0, DesiredCapacity: 0 },
    ]);
  });
});
