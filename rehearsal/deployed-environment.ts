import { isDeploymentParameterName } from '../lambda/shared/deployment';
import type { EnvironmentDeployment } from '../lambda/shared/deployment';
import type { SimulatedDeployment } from './deployment';

/** An environment's stack as the rehearsal reads it: what it deployed, and where its state machines are. */
export interface DeployedEnvironment extends EnvironmentDeployment {
  /** The logical id of the rollout state machine. */
  readonly rolloutStateMachine: string;
  /** The logical id of the promotion state machine, where the environment takes another's releases. */
  readonly promotionStateMachine?: string;
}

/**
 * What an environment's template deployed, from the parameter its stack writes for its operators
 * (lambda/shared/deployment.ts), resolved as CloudFormation would: the rehearsal runs with exactly
 * the settings a deployment has.
 */
export function deployedEnvironment(deployment: SimulatedDeployment): DeployedEnvironment {
  const parameters = deployment
    .ofType('AWS::SSM::Parameter')
    .filter((id) =>
      isDeploymentParameterName(JSON.stringify(deployment.properties(id).Name ?? '').slice(1, -1)),
    );
  const [id, ...more] = parameters;
  if (!id)
    throw new Error(
      'the template describes no environment deployment (its /immutable/<env>/deployment parameter)',
    );
  if (more.length) throw new Error('the template describes more than one environment deployment');
  const described = JSON.parse(String(deployment.properties(id).Value)) as EnvironmentDeployment;
  const machine = (arn: string) => {
    const found = deployment
      .ofType('AWS::StepFunctions::StateMachine')
      .find((m) => deployment.arnOf(m) === arn);
    if (!found) throw new Error(`the template has no state machine ${arn}`);
    return found;
  };
  return {
    ...described,
    rolloutStateMachine: machine(described.rolloutStateMachineArn),
    ...(described.promotion ? { promotionStateMachine: machine(described.promotion.stateMachineArn) } : {}),
  };
}
