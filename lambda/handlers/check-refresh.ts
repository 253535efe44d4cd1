import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { AutoScalingInstanceRefreshes } from '../aws/auto-scaling';
import { checkRefresh } from '../refresh/refresh';
import type { CheckRefreshEvent } from '../refresh/refresh';
import { deployedHandler } from '../runtime/composition';
import type { Composition } from '../runtime/composition';
import { stepHandler } from '../runtime/handler';
import type { Payload } from '../runtime/handler';
import { stepConfig } from '../runtime/step-config';
import type { StepSettings } from '../shared/step-settings';

export const configure = stepConfig('check-refresh');

/** Poll the rotation: done, keep waiting (and for how long), or `RefreshFailed`. */
export function create({
  config,
  clients,
  clock,
}: Composition<StepSettings<'check-refresh'>, { autoScaling: AutoScalingClient }>) {
  const refreshes = new AutoScalingInstanceRefreshes(clients.autoScaling);
  return stepHandler('check-refresh', (event: Payload<CheckRefreshEvent>) =>
    checkRefresh({ ...event, settings: config }, { refreshes, now: clock() }),
  );
}

export const handler = deployedHandler({ configure, create }, () => ({
  autoScaling: new AutoScalingClient({}),
}));
