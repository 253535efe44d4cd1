import { Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { busPolicyStatementId } from '../../../lambda/shared/names';

/** Events of this stack's bus that another account's or region's default bus must receive. */
export interface EventForward {
  /** A stable id (e.g. `ToStaging`). */
  readonly id: string;
  readonly description: string;
  readonly pattern: events.EventPattern;
  /** The receiving default bus. */
  readonly busArn: string;
}

export interface EventRoutesProps {
  /**
   * The stack whose bus receives (an environment's name, or `images`): its policy statements are
   * named after it, so stacks sharing an account's bus never claim each other's.
   */
  readonly receiver: string;
  readonly forwards: readonly EventForward[];
  /** Accounts (other than this one) whose rules may put events on this stack's default bus. */
  readonly receiveFrom: readonly string[];
  /** Where an event that could not be delivered goes. */
  readonly deadLetters: sqs.IQueue;
}

/**
 * The product's events crossing accounts and regions: a rule per forward, targeting the
 * receiving default bus with a role (EventBridge's recommended way for a bus in another account
 * or region), and a statement on this default bus's policy for each account that forwards here.
 * Within one account and region nothing is needed: every stack's rules read the same bus.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-account.html
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-region.html
 */
export class EventRoutes extends Construct {
  constructor(scope: Construct, id: string, props: EventRoutesProps) {
    super(scope, id);
    for (const f of props.forwards) {
      new events.Rule(this, f.id, {
        description: f.description,
        eventPattern: f.pattern,
        targets: [
          new targets.EventBus(events.EventBus.fromEventBusArn(this, `${f.id}Bus`, f.busArn), {
            deadLetterQueue: props.deadLetters,
          }),
        ],
      });
    }
    const stack = Stack.of(this);
    const bus = stack.formatArn({ service: 'events', resource: 'event-bus', resourceName: 'default' });
    for (const account of [...new Set(props.receiveFrom)].sort()) {
      // toStatementJson is typed any; the policy's statement property takes any JSON object.
      const statement: Record<string, unknown> = new iam.PolicyStatement({
        principals: [new iam.AccountPrincipal(account)],
        actions: ['events:PutEvents'],
        resources: [bus],
      }).toStatementJson() as Record<string, unknown>;
      new events.CfnEventBusPolicy(this, `From${account}`, {
        eventBusName: 'default',
        statementId: busPolicyStatementId(props.receiver, account),
        statement,
      });
    }
  }
}
