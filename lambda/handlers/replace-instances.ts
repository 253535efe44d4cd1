import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { AutoScalingFleetGroups } from '../aws/auto-scaling';
import { ElbTargetHealth } from '../aws/elb';
import { Ec2FleetInstances, FleetInstanceRemoval } from '../aws/instances';
import { checkReplacement, startReplacement } from '../fleet/replace';
import type { ReplaceEvent } from '../fleet/replace';
import { rolloutStepHandler } from '../runtime/handler';

const autoscaling = new AutoScalingClient({});
const groups = new AutoScalingFleetGroups(autoscaling);
const targetHealth = new ElbTargetHealth(new ElasticLoadBalancingV2Client({}));
const removal = new FleetInstanceRemoval(autoscaling, new Ec2FleetInstances(new EC2Client({})));

/** Replace named instances: launch their replacements, then detach them, then terminate them. */
export const handler = rolloutStepHandler(
  'replace-instances',
  (event: ReplaceEvent & { op: 'start' | 'check' }) => {
    const deps = { groups, targetHealth, removal, now: new Date() };
    return event.op === 'start' ? startReplacement(event, deps) : checkReplacement(event, deps);
  },
);
