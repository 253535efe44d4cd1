import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { AutoScalingInstanceRefreshes } from '../aws/auto-scaling';
import { checkRefresh } from '../refresh/refresh';
import type { CheckRefreshEvent } from '../refresh/refresh';
import { rolloutStepHandler } from '../runtime/handler';

const refreshes = new AutoScalingInstanceRefreshes(new AutoScalingClient({}));

/** Poll the rotation: done, keep waiting (and for how long), or `RefreshFailed`. */
export const handler = rolloutStepHandler('check-refresh', (event: CheckRefreshEvent) =>
  checkRefresh(event, { refreshes, now: new Date() }),
);
