/**
 * Compile-time checks of the workflow contract: `npm run typecheck` fails when a line marked
 * `@ts-expect-error` stops being an error (a check that no longer catches what it should), and
 * when a `Holds` below stops holding. Nothing here runs.
 */
import type { checkCanary, prepareCanary } from '../../../lambda/canary/colour';
import type { judgeCanaryStep, shiftTraffic } from '../../../lambda/canary/steps';
import type { checkReplacement, startReplacement } from '../../../lambda/fleet/replace';
import type { restoreSafeState } from '../../../lambda/fleet/restore';
import type { retireWarmColour } from '../../../lambda/fleet/retire';
import type { announceRelease } from '../../../lambda/ledger/announce';
import type {
  acquireLock,
  LedgerEvent,
  recordFinish,
  recordRelease,
  recordStart,
} from '../../../lambda/ledger/operations';
import type { planRollout, PlanEvent } from '../../../lambda/planning/plan';
import type { validateRequest } from '../../../lambda/planning/validate-request';
import type { canaryStatus, checkStillReleased, startCanary } from '../../../lambda/promotion/steps';
import type { checkRefresh, startRefresh } from '../../../lambda/refresh/refresh';
import type { Payload } from '../../../lambda/runtime/handler';
import type { Colour } from '../../../lambda/shared/colours';
import type {
  CanaryPlan,
  CanaryProgress,
  ExecutionRef,
  FleetRecord,
  RolloutRequest,
} from '../../../lambda/shared/documents';
import type { JsonPath, PayloadOf } from '../../../lambda/shared/workflow/json-path';
import { template } from '../../../lambda/shared/workflow/json-path';
import type { PromotionDocument } from '../../../lambda/shared/workflow/promotion-document';
import type { PromotionEvent } from '../../../lambda/shared/workflow/promotion-steps';
import type { RolloutDocument } from '../../../lambda/shared/workflow/rollout-document';
import {
  canaryPath,
  flipPath,
  phoenixPath,
  rolloutPath,
} from '../../../lambda/shared/workflow/rollout-document';
import type { RolloutStepEvent, RolloutStepPayload } from '../../../lambda/shared/workflow/rollout-steps';

/** `true` when each of A and B is assignable to the other. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** `true` when a `Sent` may be handed where an `Accepted` is expected. */
type Accepts<Accepted, Sent> = [Sent] extends [Accepted] ? true : false;
/** Compiles only for `true`. */
type Holds<T extends true> = T;

type Returns<F extends (...args: never[]) => unknown> = Awaited<ReturnType<F>>;
type Field<D, K extends keyof D> = Exclude<D[K], undefined>;
type FirstParameter<F extends (...args: never[]) => unknown> = Parameters<F>[0];

/* A path compiles only if the document has it, and its type is what it selects. */

export function paths() {
  // @ts-expect-error: a plan has a kind, not a knd
  rolloutPath('plan', 'knd');
  // @ts-expect-error: the fleet record spells it liveColour
  rolloutPath('lock', 'fleet', 'liveColor');
  // @ts-expect-error: a refresh plan (the phoenix rotation's) goes to no colour
  phoenixPath('plan', 'to');
  // @ts-expect-error: JSONPath stops at an array; the judgements are sent whole
  canaryPath('progress', 'judgements', 'length');
  return {
    // A key only some plans have (canary and flip plans go `to` a colour) may be absent.
    to: rolloutPath('plan', 'to', 'colour'),
    // In the warm flip's view of the document, the plan is a flip's.
    kind: flipPath('plan', 'kind'),
    ready: canaryPath('progress', 'ready'),
  };
}
type Selected = ReturnType<typeof paths>;
export type PathTypes = [
  Holds<Same<Selected['to'], JsonPath<Colour | undefined>>>,
  Holds<Same<Selected['kind'], JsonPath<'flip'>>>,
  Holds<Same<Selected['ready'], JsonPath<boolean | undefined>>>,
];

/* A template's `.$` keys hold typed paths, and only they. */

export function templates() {
  // @ts-expect-error: a path written as a string is not checked against the document
  template({ 'plan.$': '$.plan' });
  // @ts-expect-error: a path under a key without `.$` would be sent as text, not resolved
  template({ plan: rolloutPath('plan') });
  return template({ op: 'start', 'plan.$': rolloutPath('plan'), progress: { ready: false } });
}
export type TemplateTypes = Holds<
  Same<
    PayloadOf<ReturnType<typeof templates>>,
    {
      readonly op: 'start';
      readonly plan: NonNullable<RolloutDocument['plan']>;
      readonly progress: { readonly ready: false };
    }
  >
>;

/* A step's payload is what its states send; a payload it does not send is not one it accepts. */

export const planRolloutWithoutFleet = () =>
  template({
    'execution.$': rolloutPath('execution'),
    'request.$': rolloutPath('request'),
    'fleets.$': rolloutPath('lock', 'fleet'),
  });
export function refused(
  sent: PayloadOf<ReturnType<typeof planRolloutWithoutFleet>>,
): RolloutStepPayload<'plan-rollout'> {
  // @ts-expect-error: Plan Rollout reads the fleet record as `fleet`, which this payload renames
  return sent;
}
export type PayloadTypes = [
  Holds<
    Same<
      Payload<PlanEvent>,
      { readonly execution: ExecutionRef; readonly request: RolloutRequest; readonly fleet: FleetRecord }
    >
  >,
  // A field renamed in the payload (fleets) leaves Plan Rollout without the fleet it reads.
  Holds<
    Same<
      Accepts<RolloutStepPayload<'plan-rollout'>, PayloadOf<ReturnType<typeof planRolloutWithoutFleet>>>,
      false
    >
  >,
  // Shift Traffic sends a canary's progress.
  Holds<Same<Extract<RolloutStepPayload<'shift-traffic'>, { plan: CanaryPlan }>['progress'], CanaryProgress>>,
];

export function payloads(flip: Extract<RolloutStepPayload<'shift-traffic'>, { plan: { kind: 'flip' } }>) {
  // @ts-expect-error: Flip Traffic Back sends no progress
  return flip.progress.step;
}

/* Every function accepts what every state that runs it sends. */

export type Accepted = [
  Holds<Accepts<FirstParameter<typeof validateRequest>, RolloutStepEvent<'validate-input'>['input']>>,
  Holds<Accepts<FirstParameter<typeof planRollout>, RolloutStepEvent<'plan-rollout'>>>,
  Holds<Accepts<FirstParameter<typeof restoreSafeState>, RolloutStepEvent<'restore-safe-state'>>>,
  Holds<Accepts<FirstParameter<typeof startRefresh>, RolloutStepEvent<'start-refresh'>>>,
  Holds<Accepts<FirstParameter<typeof checkRefresh>, RolloutStepEvent<'check-refresh'>>>,
  Holds<Accepts<FirstParameter<typeof prepareCanary>, RolloutStepEvent<'prepare-canary'>>>,
  Holds<Accepts<FirstParameter<typeof checkCanary>, RolloutStepEvent<'check-canary'>>>,
  Holds<Accepts<FirstParameter<typeof shiftTraffic>, RolloutStepEvent<'shift-traffic'>>>,
  Holds<Accepts<FirstParameter<typeof judgeCanaryStep>, RolloutStepEvent<'judge-canary'>>>,
  Holds<Accepts<FirstParameter<typeof announceRelease>, RolloutStepEvent<'announce-release'>>>,
  Holds<Accepts<FirstParameter<typeof retireWarmColour>, RolloutStepEvent<'retire-colour'>>>,
  Holds<Accepts<FirstParameter<typeof startReplacement>, RolloutStepEvent<'replace-instances'>>>,
  // The ledger reads a release's and a finish's events partly: it still accepts all of them.
  Holds<Accepts<LedgerEvent, RolloutStepEvent<'ledger'>>>,
  Holds<
    Accepts<FirstParameter<typeof startCanary>, Omit<Extract<PromotionEvent, { op: 'start-canary' }>, 'op'>>
  >,
  Holds<
    Accepts<FirstParameter<typeof canaryStatus>, Omit<Extract<PromotionEvent, { op: 'canary-status' }>, 'op'>>
  >,
];

/* What each state writes at its ResultPath is what the document declares there. */

export type Written = [
  Holds<Accepts<Field<RolloutDocument, 'request'>, ReturnType<typeof validateRequest>>>,
  Holds<Accepts<Field<RolloutDocument, 'lock'>, Returns<typeof acquireLock>>>,
  Holds<Accepts<Field<RolloutDocument, 'restored'>, Returns<typeof restoreSafeState>>>,
  Holds<Accepts<Field<RolloutDocument, 'plan'>, Returns<typeof planRollout>>>,
  Holds<Accepts<Field<RolloutDocument, 'recorded'>, Returns<typeof recordStart>>>,
  Holds<Accepts<Field<RolloutDocument, 'progress'>, Returns<typeof startRefresh>>>,
  Holds<Accepts<Field<RolloutDocument, 'progress'>, Returns<typeof checkRefresh>>>,
  Holds<Accepts<Field<RolloutDocument, 'progress'>, Returns<typeof prepareCanary>>>,
  Holds<Accepts<Field<RolloutDocument, 'progress'>, Returns<typeof shiftTraffic>>>,
  Holds<Accepts<Field<RolloutDocument, 'progress'>, Returns<typeof judgeCanaryStep>>>,
  Holds<Accepts<Field<RolloutDocument, 'progress'>, Returns<typeof startReplacement>>>,
  Holds<Accepts<Field<RolloutDocument, 'progress'>, Returns<typeof checkReplacement>>>,
  Holds<Accepts<Field<RolloutDocument, 'warmCheck'>, Returns<typeof checkCanary>>>,
  Holds<Accepts<Field<RolloutDocument, 'released'>, Returns<typeof recordRelease>>>,
  Holds<Accepts<Field<RolloutDocument, 'finished'>, Returns<typeof recordFinish>>>,
  Holds<Accepts<Field<RolloutDocument, 'announced'>, Returns<typeof announceRelease>>>,
  Holds<Accepts<Field<RolloutDocument, 'retired'>, Returns<typeof retireWarmColour>>>,
  Holds<Accepts<Field<PromotionDocument, 'checked'>, Returns<typeof checkStillReleased>>>,
  Holds<Accepts<Field<PromotionDocument, 'canary'>, Returns<typeof startCanary>>>,
  Holds<Accepts<Field<PromotionDocument, 'canaryStatus'>, Returns<typeof canaryStatus>>>,
];
