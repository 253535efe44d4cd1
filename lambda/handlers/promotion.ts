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
import { stepHandler } from '../runtime/handler';

const db = new DynamoDBClient({});
const images = new Ec2Images(new EC2Client({}));
const sfn = new SFNClient({});
const sns = new SNSClient({});

/** The promotion's steps: one function, one operation per state (as the ledger's). */
export const handler = stepHandler('promotion', async (event: PromotionEvent) => {
  // The table, state machine and topic are named by the settings each execution carries.
  const s = event.settings;
  const store = new DynamoDbPromotionStore(db, s.table);
  const now = new Date();
  switch (event.op) {
    case 'check':
      return checkStillReleased(event, { store, images, now });
    case 'request-approval':
      return requestApproval(event, { store, notifier: new SnsNotifier(sns, s.topicArn), now });
    case 'start-canary':
      return startCanary(event, {
        ledger: new DynamoDbLedgerStore(db, s.table),
        rollouts: new StepFunctionsExecutions(sfn, s.rolloutStateMachineArn),
        now,
      });
    case 'canary-status':
      return canaryStatus(event, { rollouts: new StepFunctionsExecutions(sfn, s.rolloutStateMachineArn) });
    case 'notify-outcome':
      return notifyOutcome(event, { notifier: new SnsNotifier(sns, s.topicArn) });
  }
});
