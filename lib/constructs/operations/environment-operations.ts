import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { EnvironmentName } from '../../../lambda/shared/environments';
import type { OnInteractiveAccess } from '../../../lambda/shared/operations';
import type { RolloutFleet } from '../rollout/rollout-fleet';
import type { WorkflowSettings } from '../../../lambda/shared/settings';
import { FleetDashboard } from './dashboard';
import { FleetCheck } from './fleet-check';
import { InteractiveAccessResponse } from './interactive-access';
import type { OperatedWorkflow } from './operated-workflow';

export interface EnvironmentOperationsProps {
  readonly environment: EnvironmentName;
  readonly fleet: RolloutFleet;
  readonly workflow: OperatedWorkflow;
  /** What happens to an instance someone accessed interactively. */
  readonly onInteractiveAccess: OnInteractiveAccess;
  readonly logRetention: logs.RetentionDays;
  /** The names the fleet check reads (the workflow's settings). */
  readonly names: Pick<WorkflowSettings, 'groups' | 'listenerArn' | 'targetGroups' | 'parameters'>;
  readonly maxInstanceAgeDays: number;
  readonly fleetAgeGraceDays: number;
}

/** What a person on call relies on in one environment, one construct per concern. */
export class EnvironmentOperations extends Construct {
  readonly interactiveAccess: InteractiveAccessResponse;
  readonly fleetCheck: FleetCheck;
  readonly dashboard: FleetDashboard;

  constructor(scope: Construct, id: string, props: EnvironmentOperationsProps) {
    super(scope, id);
    this.interactiveAccess = new InteractiveAccessResponse(this, 'InteractiveAccess', props);
    this.fleetCheck = new FleetCheck(this, 'FleetCheck', props);
    this.dashboard = new FleetDashboard(this, 'Dashboard', {
      ...props,
      alarms: [this.fleetCheck.fleetAgeAlarm, this.fleetCheck.driftAlarm],
    });
  }
}
