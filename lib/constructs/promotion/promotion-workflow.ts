import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { CfnResource } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { productStateMachine } from '../product-state-machine';
import type { EnvironmentName } from '../../../lambda/shared/environments';
import { PRODUCT_EVENTS } from '../../../lambda/shared/events';
import { rolloutNames } from '../../../lambda/shared/names';
import { PROMOTION_SETTINGS_VARIABLE } from '../../../lambda/shared/settings';
import type { PromotionSettings } from '../../../lambda/shared/settings';
import { acknowledgeWildcardResource } from '../nag-acknowledgements';
import type { RolloutLedger } from '../rollout/ledger';
import type { RolloutNotifications } from '../rollout/notifications';
import type { RolloutFunctions } from '../rollout/rollout-functions';
import { RolloutSteps } from '../rollout/state-machine/steps';
import { deadLetteredTarget } from '../events/dead-letters';
import { promotionDefinition } from './definition';

export interface PromotionWorkflowProps {
  readonly environment: EnvironmentName;
  /** The environment whose releases this one takes, and its account. */
  readonly from: EnvironmentName;
  readonly upstreamAccount: string;
  readonly soakMinutes: number;
  readonly approval: 'automatic' | 'manual';
  readonly approvalTimeoutHours: number;
  /** The promotion's functions (on-upstream-release, promotion) among the rollout's. */
  readonly functions: RolloutFunctions;
  readonly ledger: RolloutLedger;
  readonly notifications: RolloutNotifications;
  /** The environment's rollout, which a promotion starts a canary on. */
  readonly rollout: sfn.IStateMachine;
  /** The rollout's timeout: how long a promoted canary may run. */
  readonly rolloutTimeout: Duration;
  /** Where an upstream release that could not be delivered or handled goes. */
  readonly deadLetters: sqs.IQueue;
  readonly logRetention: logs.RetentionDays;
  /** Keep the execution logs when the stack is deleted (the audit trail of a production fleet). */
  readonly retainLogs: boolean;
}

/**
 * How an environment takes what the one upstream released: a rule on the upstream `Image
 * Released` (forwarded here across accounts and regions), and a state machine that soaks,
 * re-checks that the image still runs upstream, asks a person where approval is manual, and
 * starts the canary once the fleet is free (`trigger: promotion`).
 */
export class PromotionWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  /** What the promotion's steps know of the environment (the promotion function's PROMOTION_SETTINGS). */
  readonly settings: PromotionSettings;

  constructor(scope: Construct, id: string, props: PromotionWorkflowProps) {
    super(scope, id);
    const { functions, ledger, notifications } = props;
    const promotion = functions.get('promotion');
    const settings: PromotionSettings = (this.settings = {
      environment: props.environment,
      from: props.from,
      soakMinutes: props.soakMinutes,
      approval: props.approval,
      approvalTimeoutHours: props.approvalTimeoutHours,
      table: ledger.table.tableName,
      rolloutStateMachineArn: props.rollout.stateMachineArn,
      topicArn: notifications.topic.topicArn,
    });
    // The promotion's steps take these from their own configuration, never from their payload.
    promotion.addEnvironment(PROMOTION_SETTINGS_VARIABLE, Stack.of(this).toJsonString(settings));
    const steps = new RolloutSteps(functions);
    const stateMachineName = rolloutNames(props.environment).promotionStateMachine;
    this.stateMachine = productStateMachine(this, {
      stateMachineName,
      definitionBody: sfn.DefinitionBody.fromChainable(
        promotionDefinition(this, { steps, promotion, settings }),
      ),
      // The soak, an approval's wait, and a canary twice over (one refused for a busy fleet).
      timeout: Duration.minutes(
        props.soakMinutes + props.approvalTimeoutHours * 60 + 2 * props.rolloutTimeout.toMinutes() + 60,
      ),
      logRetention: props.logRetention,
      retainLogs: props.retainLogs,
      comment: `Promotion to ${props.environment} of what ${props.from} released: soak, checks, approval, canary`,
    });
    this.grantPromotion(props);
    this.acknowledgeRole(promotion);

    // An upstream release → record it, start this promotion (the handler parses the event first).
    const onRelease = functions.get('on-upstream-release');
    onRelease.addEnvironment('TABLE_NAME', ledger.table.tableName);
    onRelease.addEnvironment('PROMOTION_STATE_MACHINE_ARN', this.stateMachine.stateMachineArn);
    onRelease.addEnvironment('PROMOTE_FROM', props.from);
    onRelease.addEnvironment('UPSTREAM_ACCOUNT', props.upstreamAccount);
    onRelease.addEnvironment('SOAK_MINUTES', String(props.soakMinutes));
    ledger.grant(onRelease, 'dynamodb:GetItem', 'dynamodb:PutItem');
    this.stateMachine.grantStartExecution(onRelease);
    new events.Rule(this, 'UpstreamReleased', {
      description: `Promote to ${props.environment} what ${props.from} releases`,
      eventPattern: {
        source: [PRODUCT_EVENTS.imageReleased.source],
        detailType: [PRODUCT_EVENTS.imageReleased.detailType],
        account: [props.upstreamAccount],
        detail: { environment: [props.from] },
      },
      targets: [deadLetteredTarget(onRelease, props.deadLetters, 8, Duration.hours(6))],
    });
  }

  /** Permits starting promotions by hand (e.g. replaying a release), as an operator role. */
  grantStartExecution(grantee: iam.IGrantable): iam.Grant {
    return this.stateMachine.grantStartExecution(grantee);
  }

  private grantPromotion(props: PromotionWorkflowProps): void {
    const fn = props.functions.get('promotion');
    props.ledger.grant(fn, 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:Query');
    // The image must still exist here (DescribeImages supports no resource-level permissions).
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['ec2:DescribeImages'], resources: ['*'] }));
    props.rollout.grantStartExecution(fn);
    // The canaries it starts: the rollout's executions, by the state machine's fixed name.
    const executions = Stack.of(this).formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${rolloutNames(props.environment).stateMachine}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    fn.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['states:DescribeExecution'], resources: [executions] }),
    );
    acknowledgeWildcardResource(
      fn,
      executions,
      "executions of the environment's own rollout state machine (their names are chosen at run time)",
    );
    props.notifications.grantPublish(fn);
  }

  /** The role's wildcards, each for a reason IAM leaves no narrower choice. */
  private acknowledgeRole(promotion: Construct): void {
    const role = this.stateMachine.role;
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'CloudWatch Logs vended delivery and X-Ray, used by the state machine, support no resource-level permissions',
    });
    const logicalId = Stack.of(this).resolve(
      (promotion.node.defaultChild as CfnResource).logicalId,
    ) as string;
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
      reason: "versions and aliases of the promotion's own function (Step Functions grants ARN and ARN:*)",
    });
  }
}
