import { JSONPath } from 'jsonpath-plus';

/**
 * What the rehearsal does to a definition before running it, and what it refuses.
 *
 * aws-local-stepfunctions passes JSONata states through unchanged and ignores Variables, so a
 * definition using either would "succeed" without doing what AWS would do: refuse it instead.
 * Wait states become Tasks with the same paths whose local handler advances simulated time
 * by exactly what the Wait would have waited (Seconds, SecondsPath, Timestamp, TimestampPath).
 */

export interface AslState {
  Type: string;
  Resource?: string;
  Next?: string;
  End?: boolean;
  InputPath?: string | null;
  OutputPath?: string | null;
  Seconds?: number;
  SecondsPath?: string;
  Timestamp?: string;
  TimestampPath?: string;
  Comment?: string;
  Iterator?: AslDefinition;
  ItemProcessor?: AslDefinition;
  Branches?: AslDefinition[];
  Retry?: Retrier[];
  [key: string]: unknown;
}
export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
}
export interface AslDefinition {
  StartAt: string;
  States: Record<string, AslState>;
  QueryLanguage?: string;
  TimeoutSeconds?: number;
  [key: string]: unknown;
}

export type WaitSpec = Pick<AslState, 'Seconds' | 'SecondsPath' | 'Timestamp' | 'TimestampPath'>;

export class UnfaithfulDefinition extends Error {
  override readonly name = 'UnfaithfulDefinition';
}

/** The resource the rewritten Wait states use. */
export const WAIT_RESOURCE = 'arn:aws:states:::rehearsal:wait';

/** Every state, nested ones included, with its name. */
export function allStates(def: AslDefinition): Array<[string, AslState]> {
  return Object.entries(def.States).flatMap(([name, s]) => [
    [name, s] as [string, AslState],
    ...[s.Iterator, s.ItemProcessor, ...(s.Branches ?? [])]
      .filter((d): d is AslDefinition => Boolean(d))
      .flatMap(allStates),
  ]);
}

/**
 * Refuse anything the local interpreter would not execute as AWS does. `canRun(resource, state)`
 * says whether a Task state's resource has a local mapping.
 */
export function assertFaithful(
  def: AslDefinition,
  canRun: (resource: string, state: AslState) => boolean,
): void {
  if (def.QueryLanguage === 'JSONata')
    throw new UnfaithfulDefinition(
      'the definition uses JSONata, which the local interpreter does not evaluate',
    );
  for (const [name, s] of allStates(def)) {
    if (s.QueryLanguage === 'JSONata' || 'Arguments' in s || 'Output' in s) {
      throw new UnfaithfulDefinition(
        `state "${name}" uses JSONata, which the local interpreter does not evaluate`,
      );
    }
    if ('Assign' in s)
      throw new UnfaithfulDefinition(
        `state "${name}" assigns Variables, which the local interpreter ignores`,
      );
    if (JSON.stringify(s).includes('{%'))
      throw new UnfaithfulDefinition(`state "${name}" contains a JSONata expression`);
    if (s.Type === 'Task' && !canRun(String(s.Resource), s)) {
      throw new UnfaithfulDefinition(
        `state "${name}" calls ${String(s.Resource)}, which the rehearsal has no mapping for`,
      );
    }
  }
}

/** Replace each Wait with a Task that the rehearsal maps to a simulated wait; returns the waits' specs. */
export function rewriteWaits(def: AslDefinition): {
  definition: AslDefinition;
  waits: Map<string, WaitSpec>;
} {
  const waits = new Map<string, WaitSpec>();
  const rewrite = (d: AslDefinition): AslDefinition => ({
    ...d,
    States: Object.fromEntries(
      Object.entries(d.States).map(([name, s]) => {
        let state: AslState = { ...s };
        if (s.Iterator) state.Iterator = rewrite(s.Iterator);
        if (s.ItemProcessor) state.ItemProcessor = rewrite(s.ItemProcessor);
        if (s.Branches) state.Branches = s.Branches.map(rewrite);
        if (s.Type === 'Wait') {
          const { Seconds, SecondsPath, Timestamp, TimestampPath, Type: _wait, ...rest } = s;
          waits.set(name, { Seconds, SecondsPath, Timestamp, TimestampPath });
          state = { ...rest, Type: 'Task', Resource: WAIT_RESOURCE };
        }
        return [name, state];
      }),
    ),
  });
  return { definition: rewrite(def), waits };
}

/**
 * Seconds a Wait state would wait for this (InputPath-filtered) input, as Step Functions
 * computes it. A timestamp in the past waits zero.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html
 */
export function waitSeconds(spec: WaitSpec, input: unknown, now: Date): number {
  if (spec.Seconds !== undefined) return spec.Seconds;
  if (spec.SecondsPath !== undefined) {
    const v = query(spec.SecondsPath, input);
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
      throw Object.assign(
        new Error(`SecondsPath ${spec.SecondsPath} is not a non-negative integer: ${JSON.stringify(v)}`),
        {
          name: 'States.Runtime',
        },
      );
    }
    return v;
  }
  const ts = spec.Timestamp ?? query(spec.TimestampPath ?? '$', input);
  const at = typeof ts === 'string' ? Date.parse(ts) : NaN;
  if (Number.isNaN(at)) {
    throw Object.assign(new Error(`Timestamp ${JSON.stringify(ts)} is not an ISO-8601 timestamp`), {
      name: 'States.Runtime',
    });
  }
  return Math.max(0, (at - now.getTime()) / 1000);
}

function query(path: string, json: unknown): unknown {
  return JSONPath({ path, json: json as object, wrap: false });
}
