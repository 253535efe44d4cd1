import { Aws, Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { Colour } from '../../../../lambda/shared/colours';
import { COLOURS } from '../../../../lambda/shared/colours';
import type { WorkflowSettings } from '../../../../lambda/shared/settings';
import { choiceExit } from './steps';

/** The resources the way back acts on, named in its states (they are fixed at deploy time). */
export type WayBackFleet = Pick<WorkflowSettings, 'listenerArn' | 'targetGroups' | 'groups'>;

export interface WayBackProps {
  readonly fleet: WayBackFleet;
  /**
   * Where a call that still fails after its retries goes, the error at `$.compensationError`:
   * the finish records it, says in the notification that traffic may not be back, and the lock
   * janitor restores the fleet once the execution has ended.
   */
  readonly onError: sfn.IChainable;
}

/**
 * Retries of the way back: every error, for minutes. Both calls set a state (all traffic on one
 * colour, a group at zero), so a repeat is harmless, and an error name the integration reports
 * in a form nobody foresaw must not end the way back early. The delays, capped at 60 s, add up
 * to about 4 minutes (2 on average, with full jitter).
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
 */
const WAY_BACK_RETRY: sfn.RetryProps = {
  errors: [sfn.Errors.ALL],
  interval: Duration.seconds(2),
  backoffRate: 2,
  maxAttempts: 8,
  maxDelay: Duration.seconds(60),
  jitterStrategy: sfn.JitterType.FULL,
};

/** A call of one AWS API as a Step Functions task, with no Lambda function in between. */
export const sdkIntegration = (service: string, action: string) =>
  `arn:${Aws.PARTITION}:states:::aws-sdk:${service}:${action}`;

/**
 * The way back, run after any failure once the lock is held: all traffic on the live colour and,
 * if a canary was launched, its group at zero. Direct AWS SDK integrations of Step Functions make
 * both calls, so the way back does not depend on the Lambda functions that may be what failed
 * (a Lambda outage fails every step, and a compensation that were a Lambda step would fail
 * with them, leaving traffic on an unjudged canary). A dry run changes nothing, nor does a
 * rollout refused while planning.
 *
 *   Return Traffic To Last Good Fleet → Anything To Put Back? → Which Colour Is Live? →
 *   All Traffic To Blue | Green → Was A Canary Launched? → Which Colour Is The Canary? →
 *   Scale Blue | Green Canary To Zero
 *
 * The rest of a safe state (no refresh left running, a past-due warm colour at rest) is Put Idle
 * Colour To Rest's, which the finish runs next, and the lock janitor's restore's if that fails.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html
 */
export class ReturnToLastGoodFleet extends sfn.StateMachineFragment {
  readonly startState: sfn.State;
  readonly endStates: sfn.INextable[];

  constructor(scope: Construct, id: string, props: WayBackProps) {
    super(scope, id);
    const entry = new sfn.Pass(this, 'Return Traffic To Last Good Fleet', {
      comment: 'The way back, by direct AWS calls: nothing here runs a Lambda function.',
    });
    const traffic = Object.fromEntries(
      COLOURS.map((live) => [live, this.allTrafficTo(props.fleet, live, props.onError)]),
    ) as Record<Colour, sfn.CustomState>;
    const scaleDown = Object.fromEntries(
      COLOURS.map((canary) => [canary, this.scaleToZero(props.fleet, canary, props.onError)]),
    ) as Record<Colour, sfn.CustomState>;

    const whichLive = new sfn.Choice(this, 'Which Colour Is Live?')
      .when(sfn.Condition.stringEquals('$.lock.fleet.liveColour', 'green'), traffic.green)
      .otherwise(traffic.blue);
    // Nothing to put back: a dry run changed nothing, and neither did a rollout that failed after
    // Restore Safe State had settled the fleet and before Record Start (`$.recorded`) was done:
    // planning only reads (a refused image, nothing to roll back to).
    const changed = new sfn.Choice(this, 'Anything To Put Back?').otherwise(whichLive);
    entry.next(changed);

    // A plan exists once Plan Rollout has run; only a canary's plan launches the idle colour.
    const whichCanary = new sfn.Choice(this, 'Which Colour Is The Canary?');
    for (const canary of COLOURS) {
      whichCanary.when(
        sfn.Condition.and(
          sfn.Condition.stringEquals('$.plan.kind', 'canary'),
          sfn.Condition.stringEquals('$.plan.to.colour', canary),
        ),
        scaleDown[canary],
      );
    }
    const launched = new sfn.Choice(this, 'Was A Canary Launched?').when(
      sfn.Condition.isPresent('$.plan.to.colour'),
      whichCanary,
    );
    for (const live of COLOURS) traffic[live].next(launched);

    this.startState = entry;
    this.endStates = [
      choiceExit(
        changed,
        sfn.Condition.or(
          sfn.Condition.booleanEquals('$.request.dryRun', true),
          // Not(IsPresent), not IsPresent: false, which the rehearsal's interpreter gets wrong.
          sfn.Condition.and(
            sfn.Condition.not(sfn.Condition.isPresent('$.recorded')),
            sfn.Condition.isPresent('$.restored'),
            sfn.Condition.not(sfn.Condition.isPresent('$.restored.waitSeconds')),
          ),
        ),
      ),
      choiceExit(launched),
      choiceExit(whichCanary),
      ...COLOURS.map((c) => scaleDown[c]),
    ];
  }

  /**
   * One weighted forward, everything to `live`: what the listener holds whenever no rollout
   * runs (ModifyListener replaces the default actions as a whole).
   * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_ModifyListener.html
   */
  private allTrafficTo(fleet: WayBackFleet, live: Colour, onError: sfn.IChainable): sfn.CustomState {
    const weight = (c: Colour) => ({
      TargetGroupArn: fleet.targetGroups[c],
      Weight: c === live ? 100 : 0,
    });
    return this.call(onError, `All Traffic To ${title(live)}`, 'elasticloadbalancingv2', 'modifyListener', {
      ListenerArn: fleet.listenerArn,
      DefaultActions: [
        {
          Type: 'forward',
          ForwardConfig: {
            TargetGroups: COLOURS.map(weight),
            TargetGroupStickinessConfig: { Enabled: false },
          },
        },
      ],
    });
  }

  /**
   * The canary's group at zero, its instances terminated. Only sizes change: no launch template
   * is named, so no launch permission is checked.
   * @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-launch-template-permissions.html
   */
  private scaleToZero(fleet: WayBackFleet, canary: Colour, onError: sfn.IChainable): sfn.CustomState {
    return this.call(
      onError,
      `Scale ${title(canary)} Canary To Zero`,
      'autoscaling',
      'updateAutoScalingGroup',
      {
        AutoScalingGroupName: fleet.groups[canary],
        MinSize: 0,
        DesiredCapacity: 0,
      },
    );
  }

  private call(
    onError: sfn.IChainable,
    name: string,
    service: string,
    action: string,
    parameters: Record<string, unknown>,
  ): sfn.CustomState {
    return new sfn.CustomState(this, name, {
      stateJson: {
        Type: 'Task',
        Resource: sdkIntegration(service, action),
        Parameters: parameters,
        ResultPath: null,
        TimeoutSeconds: 60,
      },
    })
      .addRetry(WAY_BACK_RETRY)
      .addCatch(onError, { errors: [sfn.Errors.ALL], resultPath: '$.compensationError' });
  }
}

const title = (c: Colour) => `${c[0]?.toUpperCase() ?? ''}${c.slice(1)}`;
