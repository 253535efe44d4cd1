import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { EC2Client } from '@aws-sdk/client-ec2';
import { AutoScalingFleetGroups } from '../aws/auto-scaling';
import { Ec2LaunchTemplates } from '../aws/ec2';
import { prepareCanary } from '../canary/colour';
import type { PrepareCanaryEvent } from '../canary/colour';
import { deployedHandler } from '../runtime/composition';
import type { Composition } from '../runtime/composition';
import { stepHandler } from '../runtime/handler';
import type { Payload } from '../runtime/handler';
import { stepConfig } from '../runtime/step-config';
import type { StepSettings } from '../shared/step-settings';

export const configure = stepConfig('prepare-canary');

type Clients = { autoScaling: AutoScalingClient; ec2: EC2Client };

/** Put the new image on the idle colour and start bringing it up. */
export function create({ config, clients, clock }: Composition<StepSettings<'prepare-canary'>, Clients>) {
  const deps = {
    groups: new AutoScalingFleetGroups(clients.autoScaling),
    templates: new Ec2LaunchTemplates(clients.ec2),
  };
  return stepHandler('prepare-canary', (event: Payload<PrepareCanaryEvent>) =>
    prepareCanary({ ...event, settings: config }, { ...deps, now: clock() }),
  );
}

export const handler = deployedHandler({ configure, create }, () => ({
  autoScaling: new AutoScalingClient({}),
  ec2: new EC2Client({}),
}));
