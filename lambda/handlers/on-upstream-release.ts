import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDbPromotionStore } from '../aws/dynamodb-promotion';
import { StepFunctionsExecutions } from '../aws/sfn';
import { onUpstreamRelease } from '../promotion/upstream-release';
import { logger } from '../runtime/handler';
import { checkAtColdStart, fromEnvironment } from '../runtime/env';
import { ENVIRONMENT_NAME_RULE, isEnvironmentName } from '../shared/environments';

const db = new DynamoDBClient({});
const sfn = new SFNClient({});
const deps = fromEnvironment(
  ['TABLE_NAME', 'PROMOTION_STATE_MACHINE_ARN', 'PROMOTE_FROM', 'UPSTREAM_ACCOUNT', 'SOAK_MINUTES'],
  (env) => {
    const from = env.PROMOTE_FROM;
    if (!isEnvironmentName(from))
      throw new Error(
        `PROMOTE_FROM must be an environment's name (${ENVIRONMENT_NAME_RULE}), got ${JSON.stringify(from)}`,
      );
    const soakMinutes = Number(env.SOAK_MINUTES);
    if (!Number.isInteger(soakMinutes) || soakMinutes < 0)
      throw new Error(
        `SOAK_MINUTES must be a whole number of minutes, got ${JSON.stringify(env.SOAK_MINUTES)}`,
      );
    return {
      store: new DynamoDbPromotionStore(db, env.TABLE_NAME ?? ''),
      promotions: new StepFunctionsExecutions(sfn, env.PROMOTION_STATE_MACHINE_ARN ?? ''),
      from,
      upstreamAccount: env.UPSTREAM_ACCOUNT ?? '',
      soakMinutes,
    };
  },
);
checkAtColdStart(deps);

/** EventBridge → the upstream environment released an image → record it, and start its promotion here. */
export const handler = async (event: unknown) => {
  // The event crosses a trust boundary: onUpstreamRelease parses it with its schema first.
  const result = await onUpstreamRelease(event, deps());
  logger.info(result.promotion ? 'promotion started' : 'no promotion', result);
  return result;
};
