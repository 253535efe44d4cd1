import type { WorkflowSettings } from './settings';

/**
 * What a rollout step acts on — its environment, groups, target groups, listener, launch
 * template, alarms, table and runtime parameters — as its own deployment configured it (the
 * function's environment variable, written by the stack), never as its event says: anyone who
 * may invoke the function directly could otherwise aim it at other resources. The event keeps
 * what varies per execution (image, plan, progress) and the rollout's tuning.
 */
export const DEPLOYED_RESOURCES_VARIABLE = 'ROLLOUT_RESOURCES';

export const RESOURCE_SETTINGS = [
  'environment',
  'groups',
  'targetGroups',
  'targetGroupDimensions',
  'loadBalancerDimension',
  'listenerArn',
  'launchTemplateId',
  'alarms',
  'refreshAlarms',
  'table',
  'parameters',
] as const satisfies readonly (keyof WorkflowSettings)[];

export type DeployedResources = Pick<WorkflowSettings, (typeof RESOURCE_SETTINGS)[number]>;

/** The resources of `settings`, as the stack writes them into each step's configuration. */
export function deployedResourcesOf(settings: WorkflowSettings): DeployedResources {
  return Object.fromEntries(RESOURCE_SETTINGS.map((k) => [k, settings[k]])) as DeployedResources;
}
