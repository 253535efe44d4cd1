import * as announceImage from '../lambda/handlers/announce-image';
import * as announceRelease from '../lambda/handlers/announce-release';
import * as checkCanary from '../lambda/handlers/check-canary';
import * as checkFleet from '../lambda/handlers/check-fleet';
import * as checkRefresh from '../lambda/handlers/check-refresh';
import * as judgeCanary from '../lambda/handlers/judge-canary';
import * as ledger from '../lambda/handlers/ledger';
import * as onImageAvailable from '../lambda/handlers/on-image-available';
import * as onInteractiveAccess from '../lambda/handlers/on-interactive-access';
import * as onUpstreamRelease from '../lambda/handlers/on-upstream-release';
import * as planRollout from '../lambda/handlers/plan-rollout';
import * as prepareCanary from '../lambda/handlers/prepare-canary';
import * as promotion from '../lambda/handlers/promotion';
import * as releaseAbandonedLock from '../lambda/handlers/release-abandoned-lock';
import * as replaceInstances from '../lambda/handlers/replace-instances';
import * as restoreSafeState from '../lambda/handlers/restore-safe-state';
import * as retireColour from '../lambda/handlers/retire-colour';
import * as shiftTraffic from '../lambda/handlers/shift-traffic';
import * as startRefresh from '../lambda/handlers/start-refresh';
import * as tagLineage from '../lambda/handlers/tag-lineage';
import * as validateInput from '../lambda/handlers/validate-input';

type Handler = (event: never) => Promise<unknown>;

/**
 * The deployed handler modules the state machines invoke, by handler name (the
 * `immutable:handler` metadata on each function). The rehearsal calls these exact exports.
 */
export const STATE_MACHINE_HANDLERS: Record<string, Handler> = {
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
  'replace-instances': replaceInstances.handler,
  promotion: promotion.handler,
};

/**
 * The deployed handlers EventBridge invokes, by handler name: a train rehearsal delivers the
 * events its rules match to these, with each function's environment variables set as deployed.
 */
export const EVENT_HANDLERS: Record<string, Handler> = {
  'on-image-available': onImageAvailable.handler,
  'on-upstream-release': onUpstreamRelease.handler,
  'release-abandoned-lock': releaseAbandonedLock.handler,
  'on-interactive-access': onInteractiveAccess.handler,
  'check-fleet': checkFleet.handler,
  'announce-image': announceImage.handler,
  'tag-lineage': tagLineage.handler,
};
