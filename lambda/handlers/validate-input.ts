import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { AutoScalingFleetGroups } from '../aws/auto-scaling';
import { checkReplaceTargets } from '../planning/replace-targets';
import { validateRequest } from '../planning/validate-request';
import type { ValidateInputEvent } from '../planning/validate-request';
import { rolloutStepHandler } from '../runtime/handler';

const groups = new AutoScalingFleetGroups(new AutoScalingClient({}));

/**
 * First step of every execution: refuse a malformed input before anything is touched, and a
 * replace of instances outside the fleet before anything changes (a read of the groups).
 */
export const handler = rolloutStepHandler('validate-input', async (event: ValidateInputEvent) => {
  const request = validateRequest(event.input);
  await checkReplaceTargets(request, event.settings, groups);
  return request;
});
