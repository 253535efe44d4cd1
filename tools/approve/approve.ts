import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDbPromotionStore } from '../../lambda/aws/dynamodb-promotion';
import { StepFunctionsTaskTokens } from '../../lambda/aws/sfn';
import { decideApproval } from '../../lambda/promotion/approval';
import type { ApprovalDecision } from '../../lambda/promotion/approval';
import type { PendingApproval } from '../../lambda/promotion/ports';
import type { EnvironmentName } from '../../lambda/shared/environments';
import type { PromotionSettings } from '../../lambda/shared/settings';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { DeploymentNotFound, readDeployment } from '../deployment';

export class ApproveError extends Error {
  override readonly name = 'ApproveError';
}

export interface ApproveClients {
  readonly sfn: SFNClient;
  readonly db: DynamoDBClient;
  readonly ssm: SSMClient;
}

/**
 * The environment's promotion settings, as its stack describes its deployment: the tool needs no
 * configuration of its own and cannot disagree with what is deployed.
 */
export async function deployedPromotion(ssm: SSMClient, env: EnvironmentName): Promise<PromotionSettings> {
  let promotion: PromotionSettings | undefined;
  try {
    promotion = (await readDeployment(ssm, env)).promotion;
  } catch (e) {
    if (e instanceof DeploymentNotFound) throw new ApproveError(e.message);
    throw e;
  }
  if (!promotion)
    throw new ApproveError(
      `${env} takes no promotions: it takes the image factory's images, and nothing there waits for approval`,
    );
  return promotion;
}

/** The approvals the environment's promotions wait for now. */
export async function pendingApprovals(
  clients: ApproveClients,
  env: EnvironmentName,
): Promise<readonly PendingApproval[]> {
  const settings = await deployedPromotion(clients.ssm, env);
  return new DynamoDbPromotionStore(clients.db, settings.table).pendingApprovals();
}

/** Answer the promotion of `imageId` waiting in the environment: exactly what the notification asks for. */
export async function decide(
  clients: ApproveClients,
  request: ApprovalDecision,
  now: Date = new Date(),
): Promise<{ decided: ApprovalDecision['decision']; execution: string }> {
  const settings = await deployedPromotion(clients.ssm, request.environment);
  return decideApproval(request, {
    store: new DynamoDbPromotionStore(clients.db, settings.table),
    tokens: new StepFunctionsTaskTokens(clients.sfn),
    now,
  });
}
