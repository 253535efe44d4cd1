import { COLOURS } from '../shared/colours';
import type { ColourMap } from '../shared/colours';
import { parseEvent } from '../shared/parse-event';
import { MAX_REPLACED_INSTANCES } from '../shared/input-schema';
import { TAINT_TAG } from '../shared/operations';
import type { OnInteractiveAccess } from '../shared/operations';
import { accessTargets, caller, cloudTrailApiCallSchema } from './cloudtrail';
import type { AccessTargets } from './cloudtrail';
import type {
  Executions,
  FleetGroups,
  InstanceDetails,
  InstanceTagger,
  LedgerStore,
  Notifier,
} from './ports';

/** Where the answer to interactive access applies: one environment's fleet, and its policy. */
export interface AccessSettings {
  readonly environment: string;
  readonly groups: ColourMap<string>;
  readonly onInteractiveAccess: OnInteractiveAccess;
}

export interface AccessDeps {
  readonly groups: FleetGroups;
  readonly instances: InstanceDetails;
  readonly tagger: InstanceTagger;
  readonly lock: Pick<LedgerStore, 'holder'>;
  readonly executions: Executions;
  readonly notifier: Notifier;
  readonly now: Date;
}

export type AccessOutcome =
  | { readonly outcome: 'ignored'; readonly reason: string }
  | {
      readonly outcome: 'alerted' | 'replacing' | 'deferred';
      readonly instanceIds: readonly string[];
      readonly taint: string;
      readonly execution?: string;
    };

/**
 * EC2 tag values are at most 256 characters.
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_Tags.html#tag-restrictions
 */
const MAX_TAG_VALUE = 256;

/**
 * Someone opened a way into fleet instances (a Session Manager session, a Run Command, an
 * Instance Connect key): each such instance is no longer what was released. It is tagged
 * `immutable:tainted` with how, who and when, and, where the environment says `replace`, a
 * replace of it starts through the rollout workflow, which respects the lock and the minimum
 * healthy capacity. While another rollout holds the lock the replace is deferred, not lost: the
 * tag stays, and the scheduled fleet check starts the replace once the lock is free.
 */
export async function answerInteractiveAccess(
  event: unknown,
  s: AccessSettings,
  d: AccessDeps,
): Promise<AccessOutcome> {
  const call = parseEvent(cloudTrailApiCallSchema, event, 'CloudTrail API call');
  const api = call.detail.eventName;
  if (call.detail.errorCode)
    return { outcome: 'ignored', reason: `${api} failed (${call.detail.errorCode}): nothing was opened` };

  const accessed = await fleetInstancesReached(accessTargets(api, call.detail.requestParameters ?? {}), s, d);
  if (accessed.length === 0)
    return { outcome: 'ignored', reason: `${api} reached no instance of the ${s.environment} fleet` };

  const who = caller(call);
  const when = call.detail.eventTime ?? call.time;
  const taint = `${api} by ${who} at ${when}`.slice(0, MAX_TAG_VALUE);
  await d.tagger.tag(accessed, { [TAINT_TAG]: taint });
  const list = accessed.join(', ');
  const subject = `${s.environment}: interactive access to ${accessed.length === 1 ? accessed[0] : `${accessed.length} instances`}`;

  if (s.onInteractiveAccess === 'alert') {
    await d.notifier.notify(
      subject,
      `${taint}: ${list} tagged ${TAINT_TAG}. The ${s.environment} fleet keeps ${accessed.length === 1 ? 'it' : 'them'} ` +
        `(fleet.onInteractiveAccess is "alert"); a phoenix rotation or a replace puts the released image back:\n` +
        replaceCommand(accessed),
    );
    return { outcome: 'alerted', instanceIds: accessed, taint };
  }

  const holder = await d.lock.holder();
  if (holder && holder.expiresAt > d.now.getTime() / 1000) {
    await d.notifier.notify(
      subject,
      `${taint}: ${list} tagged ${TAINT_TAG}. A ${holder.action} (${holder.owner}) holds the fleet's lock: ` +
        'the scheduled fleet check replaces the tainted instances once it is free.',
    );
    return { outcome: 'deferred', instanceIds: accessed, taint };
  }
  const execution = await d.executions.start(`access-${call.id}`, replaceInput(accessed, `${api} by ${who}`));
  await d.notifier.notify(
    subject,
    `${taint}: ${list} tagged ${TAINT_TAG} and being replaced by ${execution}.`,
  );
  return { outcome: 'replacing', instanceIds: accessed, taint, execution };
}

/** The input of a replace of tainted instances (at most one detach's worth; the rest next time). */
export function replaceInput(instanceIds: readonly string[], reason: string) {
  return {
    action: 'replace',
    instanceIds: instanceIds.slice(0, MAX_REPLACED_INSTANCES),
    trigger: 'interactive-access',
    reason: `replace tainted instances: ${reason}`.slice(0, 500),
  };
}

const replaceCommand = (ids: readonly string[]) =>
  `  ${JSON.stringify({ action: 'replace', instanceIds: ids.slice(0, MAX_REPLACED_INSTANCES) })}`;

/**
 * The fleet instances a call reached: named ones that the blue or green group holds, and those
 * whose tags match a Run Command tag target. Instances outside the fleet are someone else's.
 */
async function fleetInstancesReached(
  targets: AccessTargets,
  s: AccessSettings,
  d: AccessDeps,
): Promise<string[]> {
  const found = await d.groups.describe(s.groups);
  const fleet = COLOURS.flatMap((c) =>
    (found[c]?.instances ?? [])
      .filter((i) => i.lifecycle === 'InService' || i.lifecycle === 'Pending')
      .map((i) => i.id),
  );
  const reached = new Set(targets.instanceIds.filter((id) => fleet.includes(id)));
  if (targets.tagSelectors.length > 0) {
    for (const view of await d.instances.describe(fleet)) {
      const hit = targets.tagSelectors.some((sel) =>
        sel.key === undefined
          ? sel.values.some((k) => view.tags.has(k))
          : sel.values.includes(view.tags.get(sel.key) ?? '\u0000'),
      );
      if (hit) reached.add(view.id);
    }
  }
  return fleet.filter((id) => reached.has(id));
}
