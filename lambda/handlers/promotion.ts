import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDbLedgerStore } from '../aws/dynamodb';
import { DynamoDbPromotionStore } from '../aws/dynamodb-promotion';
import { Ec2Images } from '../aws/ec2';
import { StepFunctionsExecutions } from '../aws/sfn';
import { SnsNotifier } from '../aws/sns';
import {
  canaryStatus,
  checkStillReleased,
  notifyOutcome,
  requestApproval,
  startCanary,
} from '../promotion/steps';
import type { PromotionEvent } from '../promotion/events';
import { ConfigurationError, deployedHandler, requiredJson } from '../runtime/composition';
import type { Composition, Variables } from '../runtime/composition';
import { stepHandler } from '../runtime/handler';
import type { Payload } from '../runtime/handler';
import { PROMOTION_SETTINGS_VARIABLE } from '../shared/settings';
import type { PromotionSettings } from '../shared/settings';

const PROMOTION_KEYS: readonly (keyof PromotionSettings)[] = [
  'environment',
  'from',
  'soakMinutes',
  'approval',
  'approvalTimeoutHours',
  'table',
  'rolloutStateMachineArn',
  'topicArn',
];

/** The promotion's settings, as the stack wrote them. */
export function configure(variables: Variables): PromotionSettings {
  const value = requiredJson(variables, PROMOTION_SETTINGS_VARIABLE) as Record<string, unknown> | null;
  const missing = PROMOTION_KEYS.filter((k) => typeof value !== 'object' || value === null || !(k in value));
  if (missing.length)
    throw new ConfigurationError(
      `environment variable ${PROMOTION_SETTINGS_VARIABLE} lacks ${missing.join(', ')}; redeploy the stack`,
    );
  return value as unknown as PromotionSettings;
}

type Clients = { dynamodb: DynamoDBClient; ec2: EC2Client; sfn: SFNClient; sns: SNSClient };

/** The promotion's steps: one function, one operation per state (as the ledger's). */
export function create({ config: s, clients, clock }: Composition<PromotionSettings, Clients>) {
  const store = new DynamoDbPromotionStore(clients.dynamodb, s.table);
  const ledger = new DynamoDbLedgerStore(clients.dynamodb, s.table);
  const images = new Ec2Images(clients.ec2);
  const rollouts = new StepFunctionsExecutions(clients.sfn, s.rolloutStateMachineArn);
  const notifier = new SnsNotifier(clients.sns, s.topicArn);
  return stepHandler('promotion', async (payload: Payload<PromotionEvent>) => {
    const event = { ...payload, settings: s } as PromotionEvent;
    const now = clock();
    switch (event.op) {
      case 'check':
        return checkStillReleased(event, { store, images, now });
      case 'request-approval':
        return requestApproval(event, { store, notifier, now });
      case 'start-canary':
        return startCanary(event, { ledger, rollouts, now });
      case 'canary-status':
        return canaryStatus(event, { rollouts });
      case 'notify-outcome':
        return notifyOutcome(event, { notifier });
    }
  });
}

export const handler = deployedHandler({ configure, create }, () => ({
  dynamodb: new DynamoDBClient({}),
  ec2: new EC2Client({}),
  sfn: new SFNClient({}),
  sns: new SNSClient({}),
}));
