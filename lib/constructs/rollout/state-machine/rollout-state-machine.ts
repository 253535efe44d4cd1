import { Stack, Validations } from 'aws-cdk-lib';
import type { CfnResource, Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { productStateMachine } from '../../product-state-machine';
import type { EnvironmentName } from '../../../../lambda/shared/environments';
import { resourcePrefix } from '../../../../lambda/shared/names';
import type { RolloutNotifications } from '../notifications';
import type { RolloutFunctions } from '../rollout-functions';
import { rolloutDefinition } from './definition';
import { RolloutSteps } from './steps';
import type { WayBackFleet } from './way-back';

export interface RolloutStateMachineProps {
  /** The environment it rolls; names the state machine. */
  readonly environment: EnvironmentName;
  /** The functions its steps run. */
  readonly functions: RolloutFunctions;
  /** Where it announces each outcome. */
  readonly notifications: RolloutNotifications;
  /** What the way back puts right by direct AWS calls, named in its states. */
  readonly fleet: WayBackFleet;
  /** An execution that runs longer is stopped (and its lock freed by the janitor). */
  readonly timeout: Duration;
  /** How long execution logs are kept. */
  readonly logRetention: logs.RetentionDays;
  /** Keep the execution logs when the stack is deleted (the audit trail of a production fleet). */
  readonly retainLogs: boolean;
}

/**
 * The rollout state machine: a STANDARD workflow with a timeout, X-Ray tracing and every
 * state's input and output logged.
 */
export class RolloutStateMachine extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: RolloutStateMachineProps) {
    super(scope, id);
    const { notifications } = props;
    const steps = new RolloutSteps(props.functions);
    const definition = rolloutDefinition(this, {
      steps,
      topic: notifications.topic,
      fleet: props.fleet,
    });
    // 'Default' keeps the state machine's logical id (and fixed name) from before this construct
    // existed. @see https://docs.aws.amazon.com/cdk/v2/guide/refactor.html
    const stateMachineName = `${resourcePrefix(props.environment)}-rollout`;
    this.stateMachine = productStateMachine(this, {
      stateMachineName,
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      timeout: props.timeout,
      logRetention: props.logRetention,
      retainLogs: props.retainLogs,
      comment: `Rollouts of the ${props.environment} fleet: phoenix rotation, canary shift, rollback`,
    });
    // Notify Outcome's task grants sns:Publish only; the topic's key is needed too.
    notifications.grantPublish(this.stateMachine);
    this.acknowledgeRole(steps.invokedFunctions());
  }

  /** The role's wildcards, each for a reason IAM leaves no narrower choice. */
  private acknowledgeRole(invoked: lambda.IFunction[]): void {
    const role = this.stateMachine.role;
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'CloudWatch Logs vended delivery and X-Ray, used by the state machine, support no resource-level permissions',
    });
    const stack = Stack.of(this);
    for (const fn of invoked) {
      const logicalId = stack.resolve((fn.node.defaultChild as CfnResource).logicalId) as string;
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
        reason: `versions and aliases of the rollout's own ${fn.node.id} function (Step Functions grants ARN and ARN:*)`,
      });
    }
  }
}
