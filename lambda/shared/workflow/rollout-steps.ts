import type { StepHandler, StepSettings } from '../step-settings';
import type { PayloadTemplate } from './json-path';
import {
  canaryPath,
  flipPath,
  lockedPath,
  phoenixPath,
  preparingCanaryPath,
  replacePath,
  rolloutPath,
} from './rollout-document';
import { withExecution } from './step-payloads';
import type { PayloadFor } from './step-payloads';

const step = withExecution(rolloutPath('execution'));

/** A canary step's payload: Shift Traffic and Judge Step read the plan and the progress. */
const canaryStep = step({ 'plan.$': canaryPath('plan'), 'progress.$': canaryPath('progress') });

/**
 * What each state of the rollout that runs a function sends it, by function and state: lib/
 * builds each Task from it, and each function's event type is derived from it
 * ({@link RolloutStepEvent}). Every payload carries the execution.
 */
export const ROLLOUT_STEP_PAYLOADS = {
  'validate-input': {
    'Validate Input': step({ 'input.$': rolloutPath('input') }),
  },
  ledger: {
    'Acquire Lock': step({ op: 'acquire', 'request.$': rolloutPath('request') }),
    'Record Start': step({
      op: 'start',
      'request.$': rolloutPath('request'),
      'plan.$': rolloutPath('plan'),
      'fleet.$': rolloutPath('lock', 'fleet'),
    }),
    // A canary's or a flip's release: the version is the one its progress launched.
    'Promote Release': step({
      op: 'release',
      'request.$': rolloutPath('request'),
      'plan.$': rolloutPath('plan'),
      'fleet.$': rolloutPath('lock', 'fleet'),
      'version.$': rolloutPath('progress', 'version'),
    }),
    // The whole document: which of plan, error and progress exist depends on the path taken.
    'Record Outcome': step({ op: 'finish', 'document.$': lockedPath() }),
    'Release Lock': step({ op: 'unlock' }),
  },
  'plan-rollout': {
    'Plan Rollout': step({ 'request.$': rolloutPath('request'), 'fleet.$': rolloutPath('lock', 'fleet') }),
  },
  'restore-safe-state': {
    'Restore Safe State': step({
      'fleet.$': rolloutPath('lock', 'fleet'),
      'dryRun.$': rolloutPath('request', 'dryRun'),
    }),
    // The fleet as Record Outcome found it (a release moved it since the lock was taken).
    'Put Idle Colour To Rest': step({
      'fleet.$': rolloutPath('finished', 'fleet'),
      'dryRun.$': rolloutPath('request', 'dryRun'),
    }),
  },
  'start-refresh': {
    'Start Refresh': step({ 'plan.$': phoenixPath('plan') }),
  },
  'check-refresh': {
    'Check Refresh': step({ 'plan.$': phoenixPath('plan'), 'progress.$': phoenixPath('progress') }),
  },
  'prepare-canary': {
    'Prepare Canary Colour': step({ 'plan.$': canaryPath('plan') }),
  },
  'check-canary': {
    'Check Canary Health': step({
      'plan.$': preparingCanaryPath('plan'),
      'progress.$': preparingCanaryPath('progress'),
    }),
    // The health check of a canary launch, with the plan's time as its deadline.
    'Check Warm Colour Health': step({
      'plan.$': flipPath('plan'),
      progress: {
        phase: 'launching',
        'version.$': flipPath('plan', 'version'),
        'capacity.$': flipPath('plan', 'capacity'),
        'deadline.$': flipPath('plan', 'healthyBy'),
        healthy: 0,
        ready: false,
        waitSeconds: 0,
        step: 0,
        weight: 0,
        done: false,
        judgements: [],
      },
    }),
  },
  'shift-traffic': {
    'Shift Traffic': canaryStep,
    'Flip Traffic Back': step({ 'plan.$': flipPath('plan') }),
  },
  'judge-canary': {
    'Judge Step': canaryStep,
  },
  'announce-release': {
    'Announce Release': step({ 'dryRun.$': rolloutPath('request', 'dryRun') }),
  },
  'retire-colour': {
    'Retire Previous Colour': step({ 'fleet.$': rolloutPath('released') }),
  },
  'replace-instances': {
    'Start Replacement': step({ op: 'start', 'plan.$': replacePath('plan') }),
    'Check Replacement': step({
      op: 'check',
      'plan.$': replacePath('plan'),
      'progress.$': replacePath('progress'),
    }),
  },
} as const satisfies Record<StepHandler, Record<string, PayloadTemplate>>;

type RolloutStepPayloads = typeof ROLLOUT_STEP_PAYLOADS;

/** What the state machine sends the rollout step `fn`, from any of the states that run it. */
export type RolloutStepPayload<Fn extends StepHandler> = PayloadFor<RolloutStepPayloads, Fn>;

/** What the rollout step `fn` acts on: its payload, and the settings it was deployed with. */
export type RolloutStepEvent<Fn extends StepHandler> =
  RolloutStepPayload<Fn> extends infer P
    ? P extends unknown
      ? P & { readonly settings: StepSettings<Fn> }
      : never
    : never;
