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
import { handler } from '../../../lambda/handlers/restore-safe-state';
import { at, execution, fleet, group, instances, OLDER_AMI, settings } from '../fixtures';
import { inputsOf } from '../sdk-mocks';
import { freezeClock } from './clock';

const asg = mockClient(AutoScalingClient);
const elb = mockClient(ElasticLoadBalancingV2Client);
const s = settings();
freezeClock();

beforeEach(() => {
  asg.reset();
  elb.reset();
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
});

describe('restore-safe-state handler', () => {
  it('restores traffic with its ELB client and the idle colour with its Auto Scaling client', async () => {
    const r = await handler({ settings: s, execution: execution(), fleet: fleet() });
    expect(r.actions).toHaveLength(2);
    expect(inputsOf(elb, ModifyListenerCommand)).toHaveLength(1);
    expect(inputsOf(asg, UpdateAutoScalingGroupCommand)).toEqual([
      { AutoScalingGroupName: 'immutable-dev-green', MinSize: 0, DesiredCapacity: 0 },
    ]);
  });

  it('keeps a warm colour against the current time', async () => {
    const warm = { colour: 'green' as const, image: OLDER_AMI, until: at(1).toISOString() };
    // the green group runs version 7 (the fixture's default): the record names it as green's
    await handler({
      settings: s,
      execution: execution(),
      fleet: fleet({ warm, versions: { blue: '7', green: '7' } }),
    });
    expect(asg.commandCalls(UpdateAutoScalingGroupCommand)).toHaveLength(0);
  });

  it('lets an AWS error through with its name', async () => {
    elb.on(ModifyListenerCommand).rejects(Object.assign(new Error('slow'), { name: 'Throttling' }));
    await expect(handler({ settings: s, execution: execution(), fleet: fleet() })).rejects.toMatchObject({
      name: 'Throttling',
    });
  });
});
