import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ElbListener } from '../aws/elb';
import { shiftTraffic } from '../canary/steps';
import type { ShiftTrafficEvent } from '../canary/steps';
import { deployedHandler } from '../runtime/composition';
import type { Composition } from '../runtime/composition';
import { stepHandler } from '../runtime/handler';
import type { Payload } from '../runtime/handler';
import { stepConfig } from '../runtime/step-config';
import type { StepSettings } from '../shared/step-settings';

export const configure = stepConfig('shift-traffic');

/** Set the listener weights for the current canary step (or flip straight back on a rollback). */
export function create({
  config,
  clients,
  clock,
}: Composition<StepSettings<'shift-traffic'>, { elbv2: ElasticLoadBalancingV2Client }>) {
  const listener = new ElbListener(clients.elbv2);
  return stepHandler('shift-traffic', (event: Payload<ShiftTrafficEvent>) =>
    shiftTraffic({ ...event, settings: config }, { listener, now: clock() }),
  );
}

export const handler = deployedHandler({ configure, create }, () => ({
  elbv2: new ElasticLoadBalancingV2Client({}),
}));
