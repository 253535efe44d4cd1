import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDbPromotionStore } from '../aws/dynamodb-promotion';
import { StepFunctionsExecutions } from '../aws/sfn';
import { onUpstreamRelease } from '../promotion/upstream-release';
import { ConfigurationError, deployedHandler, required } from '../runtime/composition';
import type { Composition, Variables } from '../runtime/composition';
import { logger } from '../runtime/handler';
import { isEnvironmentName } from '../shared/environments';
import type { EnvironmentName } from '../shared/environments';

export interface OnUpstreamReleaseConfig {
  readonly table: string;
  readonly promotionStateMachineArn: string;
  readonly from: EnvironmentName;
  readonly upstreamAccount: string;
  readonly soakMinutes: number;
}

export function configure(variables: Variables): OnUpstreamReleaseConfig {
  const from = required(variables, 'PROMOTE_FROM');
  if (!isEnvironmentName(from))
    throw new ConfigurationError(`PROMOTE_FROM must name an environment, got ${JSON.stringify(from)}`);
  const soakMinutes = Number(required(variables, 'SOAK_MINUTES'));
  if (!Number.isInteger(soakMinutes) || soakMinutes < 0)
    throw new ConfigurationError(
      `SOAK_MINUTES must be a whole number of minutes, got ${JSON.stringify(variables.SOAK_MINUTES)}`,
    );
  return {
    table: required(variables, 'TABLE_NAME'),
    promotionStateMachineArn: required(variables, 'PROMOTION_STATE_MACHINE_ARN'),
    from,
    upstreamAccount: required(variables, 'UPSTREAM_ACCOUNT'),
    soakMinutes,
  };
}

/** EventBridge → the upstream environment released an image → record it, and start its promotion here. */
export function create({
  config,
  clients,
}: Composition<OnUpstreamReleaseConfig, { dynamodb: DynamoDBClient; sfn: SFNClient }>) {
  const deps = {
    store: new DynamoDbPromotionStore(clients.dynamodb, config.table),
    promotions: new StepFunctionsExecutions(clients.sfn, config.promotionStateMachineArn),
    from: config.from,
    upstreamAccount: config.upstreamAccount,
    soakMinutes: config.soakMinutes,
  };
  return async (event: unknown) => {
    // The event crosses a trust boundary: onUpstreamRelease parses it with its schema first.
    const result = await onUpstreamRelease(event, deps);
    logger.info(result.promotion ? 'promotion started' : 'no promotion', result);
    return result;
  };
}

export const handler = deployedHandler({ configure, create }, () => ({
  dynamodb: new DynamoDBClient({}),
  sfn: new SFNClient({}),
}));
