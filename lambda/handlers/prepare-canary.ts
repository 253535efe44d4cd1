import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { EC2Client } from '@aws-sdk/client-ec2';
import { prepareCanary } from '../canary/colour';
import { stepHandler } from '../runtime/handler';
import type { WorkflowSettings } from '../shared/settings';
import type { CanaryPlan, ExecutionRef } from '../shared/documents';

const autoscaling = new AutoScalingClient({});
const ec2 = new EC2Client({});

/** Put the new image on the idle colour and start bringing it up. */
export const handler = stepHandler(
  'prepare-canary',
  (event: { settings: WorkflowSettings; execution: ExecutionRef; plan: CanaryPlan }) =>
    prepareCanary(event, { autoscaling, ec2, now: new Date() }),
);
