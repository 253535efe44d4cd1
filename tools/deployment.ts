import { GetParameterCommand } from '@aws-sdk/client-ssm';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { deploymentParameterName } from '../lambda/shared/deployment';
import type { EnvironmentDeployment } from '../lambda/shared/deployment';
import type { EnvironmentName } from '../lambda/shared/environments';

/** The environment is not deployed where the tool looked, or says nothing usable about itself. */
export class DeploymentNotFound extends Error {
  override readonly name = 'DeploymentNotFound';
}

/**
 * What the environment deployed, as its stack describes it in `/immutable/<env>/deployment`: the
 * operator tools need no configuration of their own and cannot disagree with what is deployed.
 */
export async function readDeployment(ssm: SSMClient, env: EnvironmentName): Promise<EnvironmentDeployment> {
  const name = deploymentParameterName(env);
  let value: string | undefined;
  try {
    value = (await ssm.send(new GetParameterCommand({ Name: name }))).Parameter?.Value;
  } catch (e) {
    if ((e as Error).name === 'ParameterNotFound')
      throw new DeploymentNotFound(
        `no parameter ${name} in this account and region: is ${env} deployed here? (set AWS_PROFILE / --region)`,
      );
    throw e;
  }
  let deployment: Partial<EnvironmentDeployment> | undefined;
  try {
    deployment = JSON.parse(value ?? '') as Partial<EnvironmentDeployment>;
  } catch {
    deployment = undefined;
  }
  if (!deployment?.settings?.groups)
    throw new DeploymentNotFound(`${name} does not describe a deployment; deploy the ${env} stack again`);
  return deployment as EnvironmentDeployment;
}
