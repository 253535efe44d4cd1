import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { AutoScalingFleetGroups } from '../aws/auto-scaling';
import { ElbTargetHealth } from '../aws/elb';
import { checkCanary } from '../canary/colour';
import type { CheckCanaryEvent } from '../canary/colour';
import { deployedHandler } from '../runtime/composition';
import type { Composition } from '../runtime/composition';
import { stepHandler } from '../runtime/handler';
import type { Payload } from '../runtime/handler';
import { stepConfig } from '../runtime/step-config';
import type { StepSettings } from '../shared/step-settings';

export const configure = stepConfig('check-canary');

type Clients = { autoScaling: AutoScalingClient; elbv2: ElasticLoadBalancingV2Client };

/** Count the canary (or warm) colour's healthy targets; `CanaryUnhealthy` past the deadline. */
export function create({ config, clients, clock }: Composition<StepSettings<'check-canary'>, Clients>) {
  const deps = {
    groups: new AutoScalingFleetGroups(clients.autoScaling),
    targetHealth: new ElbTargetHealth(clients.elbv2),
  };
  return stepHandler('check-canary', (event: Payload<CheckCanaryEvent>) =>
    checkCanary({ ...event, settings: config }, { ...deps, now: clock() }),
  );
}

export const handler = deployedHandler({ configure, create }, () => ({
  autoScaling: new AutoScalingClient({}),
  elbv2: new ElasticLoadBalancingV2Client({}),
}));
