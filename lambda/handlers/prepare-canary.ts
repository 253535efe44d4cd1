import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { EC2Client } from '@aws-sdk/client-ec2';
import { AutoScalingFleetGroups } from '../aws/auto-scaling';
import { Ec2LaunchTemplates } from '../aws/ec2';
import { prepareCanary } from '../canary/colour';
import type { PrepareCanaryEvent } from '../canary/colour';
import { rolloutStepHandler } from '../runtime/handler';

const groups = new AutoScalingFleetGroups(new AutoScalingClient({}));
const templates = new Ec2LaunchTemplates(new EC2Client({}));

/** Put the new image on the idle colour and start bringing it up. */
export const handler = rolloutStepHandler('prepare-canary', (event: PrepareCanaryEvent) =>
  prepareCanary(event, { groups, templates, now: new Date() }),
);
