import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { AMI_ID, AMI_ID_RULE } from '../lambda/shared/ami';
import { ENVIRONMENT_NAME, ENVIRONMENT_NAME_RULE } from '../lambda/shared/environments';
import { count, environmentFaults, executionInput, seconds } from './faults';

/**
 * A rehearsal scenario: a fleet, the images that exist, the execution input and the faults
 * to inject. Strict everywhere: an unknown field is an error naming it, so a typo in a
 * scenario never silently rehearses something else.
 */

export const amiId = z.string({ error: AMI_ID_RULE }).regex(AMI_ID, { error: AMI_ID_RULE });
export { count, executionInput, seconds } from './faults';
/** An environment's name; the runner refuses one the rehearsed product does not have. */
export const environmentName = z
  .string({ error: "must be an environment's name" })
  .regex(ENVIRONMENT_NAME, { error: `must be an environment's name (${ENVIRONMENT_NAME_RULE})` });

const image = z.strictObject({
  /** Instances of this image pass their health checks. @default true */
  healthy: z.boolean({ error: 'must be true or false' }).default(true),
  /** Share of requests answered 5xx. @default 0.001 */
  errorRate: z.number().min(0, { error: 'must be >= 0' }).max(1, { error: 'must be <= 1' }).default(0.001),
  /** p99 response time in milliseconds. @default 120 */
  p99LatencyMs: z.number().min(0, { error: 'must be >= 0' }).default(120),
  /**
   * Environments that released this image: the environment promoting from one of them finds its
   * release recorded, as the `Image Released` it announced would have left it. @default none
   */
  releasedIn: z.array(environmentName).optional(),
  /** Extra AMI tags. */
  tags: z.record(z.string(), z.string()).optional(),
  /**
   * Who owns the image: the image factory's account (`factory`), which shares it with the
   * environment's account as the factory's distribution does; the environment's own account
   * (`self`: an AMI made there by hand); or another account (a public image, which DescribeImages
   * with `Owners: ['self']` leaves out). In a layout of one account the first two are the same.
   * @default "factory"
   */
  owner: z
    .string()
    .regex(/^(factory|self|\d{12})$/, { error: 'must be "factory", "self" or a 12-digit account id' })
    .default('factory'),
  /**
   * Whether the image factory built and announced it (its announcement is in the environment's
   * table). An image it did not build is refused, whoever owns it. @default true
   */
  fromFactory: z.boolean({ error: 'must be true or false' }).default(true),
  /** What the factory's vulnerability scan found, as its announcement says. @default scanned, nothing found */
  findings: z
    .strictObject({
      scanned: z.boolean({ error: 'must be true or false' }),
      critical: z.number().int().min(0, { error: 'must be a count >= 0' }).default(0),
      high: z.number().int().min(0, { error: 'must be a count >= 0' }).default(0),
      medium: z.number().int().min(0, { error: 'must be a count >= 0' }).default(0),
      low: z.number().int().min(0, { error: 'must be a count >= 0' }).default(0),
    })
    .default({ scanned: true, critical: 0, high: 0, medium: 0, low: 0 }),
});

const fault = environmentFaults(amiId);

export const scenarioSchema = z.strictObject({
  /** A configured environment (its synthesized state machine and settings are used). */
  environment: environmentName,
  fleet: z.strictObject({
    /** InService instances of the live group at the start. */
    instances: count.max(5000, { error: 'must be <= 5000' }),
    /** Seconds from launch to InService and a healthy target. */
    launchSeconds: seconds.max(3600, { error: 'must be <= 3600' }).default(120),
    /** Age of the live instances at the start. */
    ageDays: seconds.default(30),
    /** The release before the current one (what a rollback returns to). */
    previousImage: amiId.optional(),
    /** The idle colour still runs `previousImage`, inside its scale-down delay. @default false */
    previousColourWarm: z.boolean().default(false),
  }),
  /** What the live group runs now: the current release. */
  releasedImage: amiId,
  /** Images other than the released one that exist in the account. */
  images: z.record(amiId, image).default({}),
  /** Overrides for the released image's behaviour. */
  releasedImageBehaviour: image.optional(),
  /** The execution input, passed through unchanged (the workflow validates it). */
  input: executionInput,
  faults: z.array(fault).default([]),
  /** Requests per second across the listener. @default 200 */
  requestsPerSecond: z.number().gt(0, { error: 'must be > 0' }).default(200),
  /** Simulated duration of each Lambda invocation. @default 0.2 */
  lambdaLatencySeconds: seconds.max(60, { error: 'must be <= 60' }).default(0.2),
  /** Simulated time of the start. @default 2026-11-26T10:00:00Z (outside the configured freeze windows) */
  startTime: z.iso.datetime({ error: 'must be an ISO-8601 UTC timestamp' }).default('2026-11-26T10:00:00Z'),
});

/**
 * A fresh execution started on the world an earlier run left behind (the same fleet, table,
 * parameters and clock), e.g. the execution an operator starts after stopping one.
 */
export const nextExecutionSchema = z.strictObject({
  /** Simulated seconds between the end of the earlier run and this start. @default 0 */
  afterSeconds: seconds.default(0),
  /** The execution input, passed through unchanged. */
  input: executionInput,
  /** Faults of this execution, `atSecond` counted from its start. */
  faults: z.array(fault).default([]),
});

export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type NextExecution = z.infer<typeof nextExecutionSchema>;
export type NextExecutionInput = z.input<typeof nextExecutionSchema>;
export type Fault = Scenario['faults'][number];
export type ImageBehaviour = z.infer<typeof image>;

export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
}

/** Parse a scenario; errors name each field (`faults.0.alarm must be ...`). */
export function parseScenario(raw: unknown, source = 'scenario'): Scenario {
  return parseWith(scenarioSchema, raw, source, 'scenario');
}

/** Parse a next execution; errors name each field, as a scenario's do. */
export function parseNextExecution(raw: unknown, source = 'runAfter'): NextExecution {
  return parseWith(nextExecutionSchema, raw, source, 'next execution');
}

/** Parse `raw` with a strict schema; the error lists every problem, each naming its field. */
export function parseWith<T extends z.ZodType>(
  schema: T,
  raw: unknown,
  source: string,
  what: string,
): z.infer<T> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => {
    const path = i.path.map(String).join('.');
    if (i.code === 'unrecognized_keys')
      return i.keys.map((k) => `${[path, k].filter(Boolean).join('.')} is not a known field`).join('\n');
    // A map's key is wrong (images' keys are AMI ids): the key itself is what to echo.
    if (i.code === 'invalid_key') return `${path} ${i.issues[0]?.message ?? i.message}`;
    const got = valueAt(raw, i.path);
    return `${path || what} ${i.message}${got === undefined ? '' : `, got ${echo(got)}`}`;
  });
  throw new ScenarioError(`${source} is not a valid ${what}:\n${lines.join('\n')}`);
}

/** Read and parse a scenario file (what `npm run rehearse -- --scenario FILE` reads). */
export function loadScenarioFile(file: string): Scenario {
  return parseScenario(readScenarioJson(file), file);
}

/** A scenario file's JSON, unparsed. */
export function readScenarioJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ScenarioError(`${file} is not readable JSON: ${(e as Error).message}`);
  }
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let node = raw;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/** The value received, shortened: enough to spot the mistake. */
function echo(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
