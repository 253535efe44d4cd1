import type { WorkflowSettings } from './settings';

/**
 * What each rollout step knows about its environment: only the settings it acts on, written by the
 * stack into the function's own `ROLLOUT_SETTINGS` variable (one channel: what the deployment
 * wrote; the state payload carries execution data only). A step reads its slice as a typed
 * `StepSettings<step>`: a step that reads a setting its slice leaves out does not compile, and
 * one invoked with another payload still acts only on its deployment's resources.
 *
 * Lambda caps a function's environment variables at 4 KB in all; a slice stays far below it.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-limits
 */
export const STEP_SETTINGS = {
  'validate-input': ['environment', 'groups'],
  ledger: ['environment', 'table', 'parameters', 'lockTtlSeconds', 'scaleDownDelaySeconds', 'downstream'],
  'plan-rollout': [
    'environment',
    'table',
    'groups',
    'capacity',
    'expectedBootSeconds',
    'maxInstanceAgeDays',
    'refresh',
    'canary',
    'rollbackSteps',
    'freezeWindows',
    'promoteFrom',
    'images',
  ],
  'restore-safe-state': ['groups', 'listenerArn', 'targetGroups', 'expectedBootSeconds'],
  'start-refresh': ['launchTemplateId', 'refresh', 'refreshAlarms', 'expectedBootSeconds'],
  'check-refresh': ['refresh', 'expectedBootSeconds'],
  'prepare-canary': ['groups', 'launchTemplateId', 'capacity', 'canary', 'expectedBootSeconds'],
  'check-canary': ['groups', 'targetGroups', 'capacity', 'canary', 'expectedBootSeconds'],
  'shift-traffic': ['listenerArn', 'targetGroups', 'canary'],
  'judge-canary': ['alarms', 'canary', 'targetGroupDimensions', 'loadBalancerDimension'],
  'announce-release': ['environment', 'table'],
  'retire-colour': ['groups', 'table', 'timeoutSeconds'],
  'replace-instances': ['groups', 'targetGroups', 'canary', 'expectedBootSeconds'],
} as const satisfies Record<string, readonly (keyof WorkflowSettings)[]>;

/** A function the rollout state machine invokes as one of its steps. */
export type StepHandler = keyof typeof STEP_SETTINGS;

export const STEP_HANDLERS = Object.keys(STEP_SETTINGS) as StepHandler[];

/** The settings one step is deployed with. */
export type StepSettings<H extends StepHandler> = Pick<WorkflowSettings, (typeof STEP_SETTINGS)[H][number]>;

/** The variable a step's settings are written to, as JSON. */
export const STEP_SETTINGS_VARIABLE = 'ROLLOUT_SETTINGS';

/** The slice of `settings` the step `handler` is deployed with. */
export function stepSettingsOf<H extends StepHandler>(
  handler: H,
  settings: WorkflowSettings,
): StepSettings<H> {
  const keys: readonly (keyof WorkflowSettings)[] = STEP_SETTINGS[handler];
  return Object.fromEntries(
    keys.filter((k) => settings[k] !== undefined).map((k) => [k, settings[k]]),
  ) as StepSettings<H>;
}
