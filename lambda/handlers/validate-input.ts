import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { AutoScalingFleetGroups } from '../aws/auto-scaling';
import { checkReplaceTargets } from '../planning/replace-targets';
import { validateRequest } from '../planning/validate-request';
import type { ValidateInputEvent } from '../planning/validate-request';
import { deployedHandler } from '../runtime/composition';
import type { Composition } from '../runtime/composition';
import { stepHandler } from '../runtime/handler';
import type { Payload } from '../runtime/handler';
import { stepConfig } from '../runtime/step-config';
import type { StepSettings } from '../shared/step-settings';

export const configure = stepConfig('validate-input');

/**
 * First step of every execution: refuse a malformed input before anything is touched, and a
 * replace of instances outside the fleet before anything changes (a read of the groups).
 */
export function create({
  config,
  clients,
}: Composition<StepSettings<'validate-input'>, { autoScaling: AutoScalingClient }>) {
  const groups = new AutoScalingFleetGroups(clients.autoScaling);
  return stepHandler('validate-input', async (event: Payload<ValidateInputEvent>) => {
    const request = validateRequest(event.input);
    await checkReplaceTargets(request, config, groups);
    return request;
  });
}

export const handler = deployedHandler({ configure, create }, () => ({
  autoScaling: new AutoScalingClient({}),
}));
