import {
  ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../../lambda/handlers/shift-traffic';
import { canaryPlan, canaryProgress, execution, flipPlan, NOW, settings } from '../fixtures';
import { inputsOf } from '../sdk-mocks';
import { freezeClock } from './clock';

const elb = mockClient(ElasticLoadBalancingV2Client);
freezeClock();

beforeEach(() => {
  elb.reset();
  elb.on(ModifyListenerCommand).resolves({});
});

describe('shift-traffic handler', () => {
  it('sets the step weights with its ELB client and starts the bake now', async () => {
    const p = await handler({
      settings: settings(),
      execution: execution(),
      plan: canaryPlan(),
      progress: canaryProgress({ step: 1 }),
    });
    expect(p).toMatchObject({ weight: 50, stepStartedAt: NOW.toISOString() });
    expect(inputsOf(elb, ModifyListenerCommand)).toHaveLength(1);
  });

  it('flips without a progress document (Flip Traffic Back passes only the plan)', async () => {
    expect(await handler({ settings: settings(), execution: execution(), plan: flipPlan() })).toMatchObject({
      weight: 100,
      done: true,
    });
  });

  it('lets an AWS error through with its name', async () => {
    elb.on(ModifyListenerCommand).rejects(Object.assign(new Error('gone'), { name: 'ListenerNotFound' }));
    await expect(
      handler({ settings: settings(), execution: execution(), plan: flipPlan() }),
    ).rejects.toMatchObject({
      name: 'ListenerNotFound',
    });
  });
});
