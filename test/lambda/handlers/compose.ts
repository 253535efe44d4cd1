import type { Composition, Variables } from '../../../lambda/runtime/composition';
import { STEP_SETTINGS_VARIABLE, stepSettingsOf } from '../../../lambda/shared/step-settings';
import type { StepHandler } from '../../../lambda/shared/step-settings';
import type { WorkflowSettings } from '../../../lambda/shared/settings';
import { sdkClients } from '../../../rehearsal/deployed-handlers';
import { NOW, settings } from '../fixtures';

interface Module<C, E, R> {
  readonly configure: (variables: Variables) => C;
  readonly create: (parts: Composition<C, never>) => (event: E) => Promise<R>;
}

/**
 * A handler module built as its deployment builds it: configured from `variables`, on SDK
 * clients (which the test mocks with aws-sdk-client-mock), with the clock stopped at NOW.
 */
export function compose<C, E, R>(
  module: Module<C, E, R>,
  variables: Variables,
  clock: () => Date = () => NOW,
): (event: E) => Promise<R> {
  const create = module.create as (parts: Composition<C, object>) => (event: E) => Promise<R>;
  return create({ config: module.configure(variables), clients: sdkClients('eu-west-1'), clock });
}

/** The variables of a rollout step deployed with the fixtures' settings, changed as given. */
export function stepVariables(step: StepHandler, overrides: Partial<WorkflowSettings> = {}): Variables {
  return { [STEP_SETTINGS_VARIABLE]: JSON.stringify(stepSettingsOf(step, settings(overrides))) };
}
