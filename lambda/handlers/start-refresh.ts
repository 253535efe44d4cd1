import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { EC2Client } from '@aws-sdk/client-ec2';
import { AutoScalingInstanceRefreshes } from '../aws/auto-scaling';
import { Ec2LaunchTemplates } from '../aws/ec2';
import { startRefresh } from '../refresh/refresh';
import type { StartRefreshEvent } from '../refresh/refresh';
import { rolloutStepHandler } from '../runtime/handler';

const refreshes = new AutoScalingInstanceRefreshes(new AutoScalingClient({}));
const templates = new Ec2LaunchTemplates(new EC2Client({}));

/** Start the phoenix rotation: a fresh launch-template version on the released image, then an instance refresh. */
export const handler = rolloutStepHandler('start-refresh', (event: StartRefreshEvent) =>
  startRefresh(event, { refreshes, templates, now: new Date() }),
);
