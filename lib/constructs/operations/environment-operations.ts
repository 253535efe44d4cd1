import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { EnvironmentName } from '../../../lambda/shared/environments';
import type { OnInteractiveAccess } from '../../../lambda/shared/operations';
import type { RolloutFleet } from '../rollout/rollout-fleet';
import { InteractiveAccessResponse } from './interactive-access';
import type { OperatedWorkflow } from './operated-workflow';

export interface EnvironmentOperationsProps {
  readonly environment: EnvironmentName;
  readonly fleet: RolloutFleet;
  readonly workflow: OperatedWorkflow;
  /** What happens to an instance someone accessed interactively. */
  readonly onInteractiveAccess: OnInteractiveAccess;
  readonly logRetention: logs.RetentionDays;
}

/** What a person on call relies on in one environment, one construct per concern. */
export class EnvironmentOperations extends Construct {
  readonly interactiveAccess: InteractiveAccessResponse;

  constructor(scope: Construct, id: string, props: EnvironmentOperationsProps) {
    super(scope, id);
    this.interactiveAccess = new InteractiveAccessResponse(this, 'InteractiveAccess', props);
  }
}
