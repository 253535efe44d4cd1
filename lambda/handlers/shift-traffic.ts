import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ElbListener } from '../aws/elb';
import { shiftTraffic } from '../canary/steps';
import type { ShiftTrafficEvent } from '../canary/steps';
import { rolloutStepHandler } from '../runtime/handler';

const listener = new ElbListener(new ElasticLoadBalancingV2Client({}));

/** Set the listener weights for the current canary step (or flip straight back on a rollback). */
export const handler = rolloutStepHandler('shift-traffic', (event: ShiftTrafficEvent) =>
  shiftTraffic(event, { listener, now: new Date() }),
);
