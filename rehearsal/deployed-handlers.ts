import * as checkCanary from '../lambda/handlers/check-canary';
import * as checkRefresh from '../lambda/handlers/check-refresh';
import * as judgeCanary from '../lambda/handlers/judge-canary';
import * as ledger from '../lambda/handlers/ledger';
import * as planRollout from '../lambda/handlers/plan-rollout';
import * as prepareCanary from '../lambda/handlers/prepare-canary';
import * as restoreSafeState from '../lambda/handlers/restore-safe-state';
import * as retireColour from '../lambda/handlers/retire-colour';
import * as shiftTraffic from '../lambda/handlers/shift-traffic';
import * as startRefresh from '../lambda/handlers/start-refresh';
import * as announceRelease from '../lambda/handlers/announce-release';
import * as validateInput from '../lambda/handlers/validate-input';

/**
 * The deployed handler modules the state machine invokes, by handler name (the
 * `immutable:handler` metadata on each function). The rehearsal calls these exact exports.
 * The two EventBridge-triggered handlers are not state-machine tasks and are not listed.
 */
export const STATE_MACHINE_HANDLERS: Record<string, (event: never) => Promise<unknown>> = {
  'validate-input': validateInput.handler,
  ledger: ledger.handler,
  'plan-rollout': planRollout.handler,
  'restore-safe-state': restoreSafeState.handler,
  'start-refresh': startRefresh.handler,
  'check-refresh': checkRefresh.handler,
  'prepare-canary': prepareCanary.handler,
  'check-canary': checkCanary.handler,
  'shift-traffic': shiftTraffic.handler,
  'judge-canary': judgeCanary.handler,
  'announce-release': announceRelease.handler,
  'retire-colour': retireColour.handler,
};
