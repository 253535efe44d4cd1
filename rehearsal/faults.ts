import { z } from 'zod';

/**
 * The one fault vocabulary of the rehearsal: what a single environment's scenario and a release
 * train's inject, with the same names and fields. A train's faults say which environment they
 * act in; a single environment's act in its own. `second-execution` and `execution` are the
 * same fault (a person starts an execution); a single environment's `stop` stops its main
 * execution.
 */

export const seconds = z.number({ error: 'must be a number of seconds' }).min(0, { error: 'must be >= 0' });
export const count = z
  .number({ error: 'must be a whole number' })
  .int({ error: 'must be a whole number' })
  .min(0, { error: 'must be >= 0' });

/** An execution input: any JSON (the workflow validates it), but present. */
export const executionInput = z.custom<unknown>((v) => v !== undefined, {
  error: 'is required: the execution input, such as {"action":"phoenix"}',
});

/** The fleet alarms a fault can force into ALARM, as the simulator and the scenarios name them. */
export const ALARM_KINDS = ['5xx', 'latency', 'unhealthy-hosts'] as const;

/** The CloudTrail calls an interactive-access fault reports. */
export const ACCESS_APIS = ['StartSession', 'SendCommand', 'SendSSHPublicKey'] as const;

const rate = z.number().min(0, { error: 'must be >= 0' }).max(1, { error: 'must be <= 1' });

/** The fault kinds, each with its fields; `scope` adds what says where it acts. */
function kinds<S extends z.ZodRawShape>(scope: S, amiId: z.ZodType<string>) {
  return [
    z.strictObject({
      kind: z.literal('alarm'),
      ...scope,
      atSecond: seconds,
      alarm: z.enum(ALARM_KINDS, { error: 'must be "5xx", "latency" or "unhealthy-hosts"' }),
      durationSeconds: seconds.optional(),
    }),
    /**
     * From `atSecond` on, the image answers with this 5xx rate and p99 latency: a regression the
     * alarms and the canary judge see minute by minute, as CloudWatch would show it.
     */
    z
      .strictObject({
        kind: z.literal('regression'),
        ...scope,
        atSecond: seconds,
        imageId: amiId,
        errorRate: rate.optional(),
        p99LatencyMs: z.number().min(0, { error: 'must be >= 0' }).optional(),
      })
      .refine(
        (f) => {
          const r = f as { errorRate?: number; p99LatencyMs?: number };
          return r.errorRate !== undefined || r.p99LatencyMs !== undefined;
        },
        { error: 'needs errorRate or p99LatencyMs: what regresses' },
      ),
    z.strictObject({ kind: z.literal('throttle'), ...scope, atSecond: seconds, calls: count }),
    z.strictObject({ kind: z.literal('launch-failure'), ...scope, atSecond: seconds, count }),
    z.strictObject({ kind: z.literal('lambda-error'), ...scope, atSecond: seconds, count }),
    /** The next `count` invocations run (their effects apply) but report a function timeout. */
    z.strictObject({ kind: z.literal('lambda-timeout'), ...scope, atSecond: seconds, count }),
    /** A person starts an execution of the environment's rollout (a rollback, a phoenix, a second canary). */
    z.strictObject({ kind: z.literal('execution'), ...scope, atSecond: seconds, input: executionInput }),
    z.strictObject({
      kind: z.literal('second-execution'),
      ...scope,
      atSecond: seconds,
      input: executionInput,
    }),
    /**
     * At atSecond someone opens a way into one live instance (the first InService instance of the
     * colour taking traffic), as CloudTrail reports the call: a Session Manager session, a Run
     * Command, an EC2 Instance Connect key.
     */
    z.strictObject({
      kind: z.literal('interactive-access'),
      ...scope,
      atSecond: seconds,
      api: z
        .enum(ACCESS_APIS, { error: 'must be "StartSession", "SendCommand" or "SendSSHPublicKey"' })
        .default('StartSession'),
    }),
    /** The image is deregistered (by hand, or by a lifecycle policy that should not have): gone in its region. */
    z.strictObject({ kind: z.literal('deregister'), atSecond: seconds, imageId: amiId }),
    /** An event put on the bus as is: what a misbehaving producer or a forged event would send. */
    z.strictObject({
      kind: z.literal('event'),
      atSecond: seconds,
      source: z.string().min(1, { error: 'must not be empty' }),
      detailType: z.string().min(1, { error: 'must not be empty' }),
      detail: z.record(z.string(), z.unknown(), { error: 'must be a JSON object' }),
    }),
  ] as const;
}

const KIND_NAMES =
  'alarm, regression, throttle, launch-failure, lambda-error, lambda-timeout, execution (or second-execution), interactive-access, deregister, event';

/** A single environment's faults: each acts in the scenario's environment; `stop` stops its main execution. */
export function environmentFaults(amiId: z.ZodType<string>) {
  return z.discriminatedUnion(
    'kind',
    [
      ...kinds({}, amiId),
      /** Stop the execution (as StopExecution would) once it has made this many state transitions. */
      z.strictObject({ kind: z.literal('stop'), atTransition: count.min(1, { error: 'must be >= 1' }) }),
    ],
    { error: `must be ${KIND_NAMES} or stop` },
  );
}

/** A train's faults: those acting in an environment say which. */
export function trainFaults<E extends z.ZodType<string>>(environment: E, amiId: z.ZodType<string>) {
  return z.discriminatedUnion('kind', kinds({ environment }, amiId), { error: `must be ${KIND_NAMES}` });
}
