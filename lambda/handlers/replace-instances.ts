import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { AutoScalingFleetGroups } from '../aws/auto-scaling';
import { ElbTargetHealth } from '../aws/elb';
import { Ec2FleetInstances, FleetInstanceRemoval } from '../aws/instances';
import { checkReplacement, startReplacement } from '../fleet/replace';
import type { ReplaceEvent } from '../fleet/replace';
import { deployedHandler } from '../runtime/composition';
import type { Composition } from '../runtime/composition';
import { stepHandler } from '../runtime/handler';
import type { Payload } from '../runtime/handler';
import { stepConfig } from '../runtime/step-config';
import type { StepSettings } from '../shared/step-settings';

export const configure = stepConfig('replace-instances');

type Clients = { autoScaling: AutoScalingClient; ec2: EC2Client; elbv2: ElasticLoadBalancingV2Client };

/** Replace named instances: launch their replacements, then detach them, then terminate them. */
export function create({ config, clients, clock }: Composition<StepSettings<'replace-instances'>, Clients>) {
  const deps = {
    groups: new AutoScalingFleetGroups(clients.autoScaling),
    targetHealth: new ElbTargetHealth(clients.elbv2),
    removal: new FleetInstanceRemoval(clients.autoScaling, new Ec2FleetInstances(clients.ec2)),
  };
  return stepHandler(
    'replace-instances',
    (event: Payload<ReplaceEvent> & { readonly op: 'start' | 'check' }) => {
      const e = { ...event, settings: config };
      const d = { ...deps, now: clock() };
      return event.op === 'start' ? startReplacement(e, d) : checkReplacement(e, d);
    },
  );
}

export const handler = deployedHandler({ configure, create }, () => ({
  autoScaling: new AutoScalingClient({}),
  ec2: new EC2Client({}),
  elbv2: new ElasticLoadBalancingV2Client({}),
}));
