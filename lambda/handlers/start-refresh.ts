import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { EC2Client } from '@aws-sdk/client-ec2';
import { AutoScalingInstanceRefreshes } from '../aws/auto-scaling';
import { Ec2LaunchTemplates } from '../aws/ec2';
import { startRefresh } from '../refresh/refresh';
import type { StartRefreshEvent } from '../refresh/refresh';
import { deployedHandler } from '../runtime/composition';
import type { Composition } from '../runtime/composition';
import { stepHandler } from '../runtime/handler';
import type { Payload } from '../runtime/handler';
import { stepConfig } from '../runtime/step-config';
import type { StepSettings } from '../shared/step-settings';

export const configure = stepConfig('start-refresh');

type Clients = { autoScaling: AutoScalingClient; ec2: EC2Client };

/** Start the phoenix rotation: a fresh launch-template version on the released image, then an instance refresh. */
export function create({ config, clients, clock }: Composition<StepSettings<'start-refresh'>, Clients>) {
  const deps = {
    refreshes: new AutoScalingInstanceRefreshes(clients.autoScaling),
    templates: new Ec2LaunchTemplates(clients.ec2),
  };
  return stepHandler('start-refresh', (event: Payload<StartRefreshEvent>) =>
    startRefresh({ ...event, settings: config }, { ...deps, now: clock() }),
  );
}

export const handler = deployedHandler({ configure, create }, () => ({
  autoScaling: new AutoScalingClient({}),
  ec2: new EC2Client({}),
}));
