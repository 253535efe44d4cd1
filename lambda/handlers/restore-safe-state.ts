import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { AutoScalingFleetGroups, AutoScalingInstanceRefreshes } from '../aws/auto-scaling';
import { ElbListener } from '../aws/elb';
import { restoreSafeState } from '../fleet/restore';
import type { RestoreEvent } from '../fleet/restore';
import { deployedHandler } from '../runtime/composition';
import type { Composition } from '../runtime/composition';
import { stepHandler } from '../runtime/handler';
import type { Payload } from '../runtime/handler';
import { stepConfig } from '../runtime/step-config';
import type { StepSettings } from '../shared/step-settings';

export const configure = stepConfig('restore-safe-state');

type Clients = { autoScaling: AutoScalingClient; elbv2: ElasticLoadBalancingV2Client };

/** All traffic on the live colour, the idle colour at rest: first step of a run, and its compensation. */
export function create({ config, clients, clock }: Composition<StepSettings<'restore-safe-state'>, Clients>) {
  const deps = {
    listener: new ElbListener(clients.elbv2),
    groups: new AutoScalingFleetGroups(clients.autoScaling),
    refreshes: new AutoScalingInstanceRefreshes(clients.autoScaling),
  };
  return stepHandler('restore-safe-state', (event: Payload<RestoreEvent>) =>
    restoreSafeState({ ...event, settings: config }, { ...deps, now: clock() }),
  );
}

export const handler = deployedHandler({ configure, create }, () => ({
  autoScaling: new AutoScalingClient({}),
  elbv2: new ElasticLoadBalancingV2Client({}),
}));
