import type { EnvironmentName } from './environments';
import { APP_PREFIX } from './names';
import type { PromotionSettings, WorkflowSettings } from './settings';

/**
 * What an environment's stack deployed, as its operators' tools and the rehearsal read it: the
 * rollout's settings (its resources' names and its tuning), its state machines and, where it takes
 * another environment's releases, the promotion's. The stack writes it to one SSM parameter (it
 * owns it: a deploy rewrites it, and its history is the deployments'); no function reads it,
 * each takes its own settings from its own variables.
 */
export interface EnvironmentDeployment {
  readonly settings: WorkflowSettings;
  readonly rolloutStateMachineArn: string;
  readonly promotion?: PromotionSettings & { readonly stateMachineArn: string };
}

/** The SSM parameter holding an environment's deployment, e.g. `/immutable/prod/deployment`. */
export const deploymentParameterName = (env: EnvironmentName) => `/${APP_PREFIX}/${env}/deployment`;

/** Whether `name` is some environment's deployment parameter. */
export const isDeploymentParameterName = (name: string): boolean =>
  new RegExp(`^/${APP_PREFIX}/[a-z][a-z0-9-]*/deployment$`).test(name);
