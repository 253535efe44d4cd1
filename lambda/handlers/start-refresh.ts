import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { EC2Client } from '@aws-sdk/client-ec2';
import { startRefresh } from '../refresh/refresh';
import { stepHandler } from '../runtime/handler';
import type { WorkflowSettings } from '../shared/settings';
import type { ExecutionRef, RefreshPlan } from '../shared/documents';

const autoscaling = new AutoScalingClient({});
const ec2 = new EC2Client({});

/** Start the phoenix rotation: a fresh launch-template version on the released image, then an instance refresh. */
export const handler = stepHandler(
  'start-refresh',
  (event: { settings: WorkflowSettings; execution: ExecutionRef; plan: RefreshPlan }) =>
    startRefresh(event, { autoscaling, ec2, now: new Date() }),
);
