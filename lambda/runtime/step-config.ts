import { STEP_SETTINGS, STEP_SETTINGS_VARIABLE } from '../shared/step-settings';
import type { StepHandler, StepSettings } from '../shared/step-settings';
import type { WorkflowSettings } from '../shared/settings';
import { ConfigurationError, requiredJson } from './composition';
import type { Variables } from './composition';

/** Settings a slice may leave out: an environment that takes the factory's images promotes from nowhere. */
const OPTIONAL: ReadonlySet<keyof WorkflowSettings> = new Set(['promoteFrom']);

/**
 * The settings the step `handler` was deployed with, read from its `ROLLOUT_SETTINGS` variable:
 * a missing, malformed or incomplete one fails the cold start naming what is wrong.
 */
export function stepConfig<H extends StepHandler>(handler: H): (variables: Variables) => StepSettings<H> {
  return (variables) => {
    const value = requiredJson(variables, STEP_SETTINGS_VARIABLE);
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new ConfigurationError(
        `environment variable ${STEP_SETTINGS_VARIABLE} is not a JSON object; redeploy the stack`,
      );
    const keys: readonly (keyof WorkflowSettings)[] = STEP_SETTINGS[handler];
    const missing = keys.filter((k) => !OPTIONAL.has(k) && !(k in value));
    if (missing.length)
      throw new ConfigurationError(
        `environment variable ${STEP_SETTINGS_VARIABLE} lacks ${missing.join(', ')}, which ${handler} needs; redeploy the stack`,
      );
    return value as StepSettings<H>;
  };
}
