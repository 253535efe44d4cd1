import { DEPLOYED_RESOURCES_VARIABLE, deployedResourcesOf } from '../../../lambda/shared/deployed-resources';
import type { WorkflowSettings } from '../../../lambda/shared/settings';
import { settings } from '../fixtures';

/** Run `body` with these environment variables set (and the others as they were), then put them back. */
export async function withEnv<T>(env: Record<string, string>, body: () => Promise<T>): Promise<T> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    return await body();
  } finally {
    process.env = saved;
  }
}

/** The variables of a rollout step deployed with the fixtures' resources, changed as given. */
export function deployedWith(overrides: Partial<WorkflowSettings>): Record<string, string> {
  return { [DEPLOYED_RESOURCES_VARIABLE]: JSON.stringify(deployedResourcesOf(settings(overrides))) };
}
