import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeStateMachineCommand, ListStateMachinesCommand } from '@aws-sdk/client-sfn';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDbPromotionStore } from '../../lambda/aws/dynamodb-promotion';
import { StepFunctionsTaskTokens } from '../../lambda/aws/sfn';
import { decideApproval } from '../../lambda/promotion/approval';
import type { ApprovalDecision } from '../../lambda/promotion/approval';
import type { PendingApproval } from '../../lambda/promotion/ports';
import type { EnvironmentName } from '../../lambda/shared/environments';
import { rolloutNames } from '../../lambda/shared/names';
import type { PromotionSettings } from '../../lambda/shared/settings';

/** The promotion's first state carries its settings, the table among them. */
const SETTINGS_STATE = 'Load Promotion';

export class ApproveError extends Error {
  override readonly name = 'ApproveError';
}

export interface ApproveClients {
  readonly sfn: SFNClient;
  readonly db: DynamoDBClient;
}

/**
 * The environment's promotion settings, read from its deployed promotion state machine (the
 * definition embeds them): the tool needs no configuration of its own and cannot disagree with
 * what is deployed.
 */
export async function deployedPromotion(sfn: SFNClient, env: EnvironmentName): Promise<PromotionSettings> {
  const name = rolloutNames(env).promotionStateMachine;
  let arn: string | undefined;
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new ListStateMachinesCommand({ nextToken }));
    arn = page.stateMachines?.find((m) => m.name === name)?.stateMachineArn;
    nextToken = page.nextToken;
  } while (!arn && nextToken);
  if (!arn)
    throw new ApproveError(
      `no state machine ${name} in this account and region: ${env} takes no promotions (the first environment takes the factory's images), or it is deployed elsewhere (set AWS_PROFILE / --region)`,
    );
  const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
  const definition = JSON.parse(described.definition ?? '{}') as {
    States?: Record<string, { Parameters?: { settings?: PromotionSettings } }>;
  };
  const settings = definition.States?.[SETTINGS_STATE]?.Parameters?.settings;
  if (!settings?.table)
    throw new ApproveError(`${name} carries no promotion settings in its "${SETTINGS_STATE}" state`);
  return settings;
}

/** The approvals the environment's promotions wait for now. */
export async function pendingApprovals(
  clients: ApproveClients,
  env: EnvironmentName,
): Promise<readonly PendingApproval[]> {
  const settings = await deployedPromotion(clients.sfn, env);
  return new DynamoDbPromotionStore(clients.db, settings.table).pendingApprovals();
}

/** Answer the promotion of `imageId` waiting in the environment: exactly what the notification asks for. */
export async function decide(
  clients: ApproveClients,
  request: ApprovalDecision,
  now: Date = new Date(),
): Promise<{ decided: ApprovalDecision['decision']; execution: string }> {
  const settings = await deployedPromotion(clients.sfn, request.environment);
  return decideApproval(request, {
    store: new DynamoDbPromotionStore(clients.db, settings.table),
    tokens: new StepFunctionsTaskTokens(clients.sfn),
    now,
  });
}
