import type { WorkflowSettings } from '../shared/settings';
import { DEPLOYED_RESOURCES_VARIABLE, RESOURCE_SETTINGS } from '../shared/deployed-resources';
import type { DeployedResources } from '../shared/deployed-resources';
import { checkAtColdStart, fromEnvironment } from './env';

const deployed = fromEnvironment([DEPLOYED_RESOURCES_VARIABLE], (env) =>
  parseResources(env[DEPLOYED_RESOURCES_VARIABLE] ?? ''),
);

/** Fail a misconfigured rollout function's cold start, naming the variable (see env.ts). */
export const checkDeployedResourcesAtColdStart = () => checkAtColdStart(deployed);

function parseResources(text: string): DeployedResources {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`environment variable ${DEPLOYED_RESOURCES_VARIABLE} is not JSON; redeploy the stack`);
  }
  const missing = RESOURCE_SETTINGS.filter(
    (k) => typeof value !== 'object' || value === null || !(k in value),
  );
  if (missing.length)
    throw new Error(
      `environment variable ${DEPLOYED_RESOURCES_VARIABLE} lacks ${missing.join(', ')}; redeploy the stack`,
    );
  return value as DeployedResources;
}

/** The event with its resources replaced by the deployment's: what the step acts on. */
export function withDeployedResources<E extends { readonly settings: WorkflowSettings }>(event: E): E {
  return { ...event, settings: { ...event.settings, ...deployed() } };
}
