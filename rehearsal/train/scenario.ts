import { z } from 'zod';
import type { EnvironmentName } from '../../lambda/shared/environments';
import { trainFaults } from '../faults';
import {
  amiId,
  count,
  environmentName as environment,
  parseWith,
  readScenarioJson,
  seconds,
} from '../scenario';

/**
 * A release train: environments rehearsed together in one simulated account, the image
 * factory's bake announced to the first, each release promoted to the next by the deployed
 * rules, triggers and state machines. Strict everywhere, like a single environment's scenario.
 */

const rate = z.number().min(0, { error: 'must be >= 0' }).max(1, { error: 'must be <= 1' });
const latency = z.number().min(0, { error: 'must be >= 0' });
/** A value that differs in some environments. */
const perEnvironment = <T extends z.ZodType>(value: T) => z.partialRecord(environment, value);

const image = z.strictObject({
  /** Instances of this image pass their health checks. @default true */
  healthy: z.boolean({ error: 'must be true or false' }).default(true),
  /** Share of requests answered 5xx. @default 0.001 */
  errorRate: rate.default(0.001),
  /** p99 response time in milliseconds. @default 120 */
  p99LatencyMs: latency.default(120),
  /** Where the image behaves differently: an environment's data or traffic exposes a defect. */
  healthyIn: perEnvironment(z.boolean({ error: 'must be true or false' })).optional(),
  errorRateIn: perEnvironment(rate).optional(),
  p99LatencyMsIn: perEnvironment(latency).optional(),
});

const fleet = z.strictObject({
  /** InService instances of the live group at the start. */
  instances: count.max(5000, { error: 'must be <= 5000' }),
  /** Seconds from launch to InService and a healthy target. */
  launchSeconds: seconds.max(3600, { error: 'must be <= 3600' }).default(120),
  /** Age of the live instances at the start. */
  ageDays: seconds.default(30),
});

const severityCount = count.default(0);

const fault = trainFaults(environment, amiId);

export const trainScenarioSchema = z
  .strictObject({
    /** The environments, in promotion order: each after the first promotes from the one before. */
    train: z
      .array(environment)
      .min(1, { error: 'must name at least one environment' })
      .refine((t) => new Set(t).size === t.length, { error: 'must name each environment once' }),
    /** Each environment's live group at the start. */
    fleets: perEnvironment(fleet),
    /** What every environment runs at the start (released in each, so a rollback has it to return to). */
    releasedImage: amiId,
    /** Images other than the released one that exist in the account (the released one's behaviour may be set here too). */
    images: z.record(amiId, image).default({}),
    /** The image factory's build that starts the train: AVAILABLE at `atSecond`, with its scan's findings. */
    bake: z
      .strictObject({
        imageId: amiId,
        atSecond: seconds.default(0),
        /** Whether the vulnerability scan completed (an unscanned image passes no gate). @default true */
        scanned: z.boolean({ error: 'must be true or false' }).default(true),
        findings: z
          .strictObject({
            CRITICAL: severityCount,
            HIGH: severityCount,
            MEDIUM: severityCount,
            LOW: severityCount,
          })
          .default({ CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0 }),
      })
      .optional(),
    /** A person's answer to a promotion, at a time: accepted only if the promotion is asking then. */
    approvals: z
      .array(
        z.strictObject({
          environment,
          atSecond: seconds,
          decision: z.enum(['approve', 'reject'], { error: 'must be "approve" or "reject"' }),
          /** The image decided on. @default the bake's image */
          imageId: amiId.optional(),
          by: z.string().min(1).default('rehearsal'),
          reason: z.string().optional(),
        }),
      )
      .default([]),
    faults: z.array(fault).default([]),
    /** The rehearsal stops here even if something still runs or waits. @default 3 days */
    untilSecond: seconds.gt(0, { error: 'must be > 0' }).default(259_200),
    /** Requests per second across each environment's listener. @default 200 */
    requestsPerSecond: z.number().gt(0, { error: 'must be > 0' }).default(200),
    /** Simulated duration of each Lambda invocation. @default 0.2 */
    lambdaLatencySeconds: seconds.max(60, { error: 'must be <= 60' }).default(0.2),
    /** Simulated time of the start. @default 2026-11-26T10:00:00Z (outside the configured freeze windows) */
    startTime: z.iso.datetime({ error: 'must be an ISO-8601 UTC timestamp' }).default('2026-11-26T10:00:00Z'),
  })
  .superRefine((s, ctx) => {
    const inTrain = new Set<string>(s.train);
    for (const env of s.train)
      if (!s.fleets[env])
        ctx.addIssue({
          code: 'custom',
          path: ['fleets', env],
          message: 'is required for each environment in the train',
        });
    for (const env of Object.keys(s.fleets))
      if (!inTrain.has(env))
        ctx.addIssue({ code: 'custom', path: ['fleets', env], message: 'is not in the train' });
    if (s.bake && !(s.bake.imageId in s.images) && s.bake.imageId !== s.releasedImage)
      ctx.addIssue({
        code: 'custom',
        path: ['bake', 'imageId'],
        message: 'must be listed in images (say how it behaves)',
      });
    s.approvals.forEach((a, i) => {
      if (!inTrain.has(a.environment))
        ctx.addIssue({
          code: 'custom',
          path: ['approvals', i, 'environment'],
          message: 'is not in the train',
        });
      if (!a.imageId && !s.bake)
        ctx.addIssue({
          code: 'custom',
          path: ['approvals', i, 'imageId'],
          message: 'is required when the train bakes nothing',
        });
    });
    s.faults.forEach((f, i) => {
      if (f.kind === 'deregister' && !(f.imageId in s.images) && f.imageId !== s.releasedImage)
        ctx.addIssue({
          code: 'custom',
          path: ['faults', i, 'imageId'],
          message: 'is not an image of the scenario',
        });
      if ('environment' in f && !inTrain.has(f.environment))
        ctx.addIssue({ code: 'custom', path: ['faults', i, 'environment'], message: 'is not in the train' });
    });
    // Keyed by any name: one not in the train (a typo) would silently change nothing.
    for (const [imageId, image] of Object.entries(s.images))
      for (const key of ['healthyIn', 'errorRateIn', 'p99LatencyMsIn'] as const)
        for (const env of Object.keys(image[key] ?? {}))
          if (!inTrain.has(env))
            ctx.addIssue({
              code: 'custom',
              path: ['images', imageId, key, env],
              message: 'is not in the train',
            });
  });

export type TrainScenario = z.infer<typeof trainScenarioSchema>;
export type TrainScenarioInput = z.input<typeof trainScenarioSchema>;
export type TrainFault = TrainScenario['faults'][number];
export type TrainImage = z.infer<typeof image>;

/** The train's environments, each with its fleet (the schema guarantees one per environment). */
export function fleetOf(s: TrainScenario, env: EnvironmentName): z.infer<typeof fleet> {
  const f = s.fleets[env];
  if (!f) throw new Error(`the train scenario has no fleet for ${env}`);
  return f;
}

/** Parse a train scenario; errors name each field (`approvals.0.decision must be ...`). */
export function parseTrainScenario(raw: unknown, source = 'scenario'): TrainScenario {
  return parseWith(trainScenarioSchema, raw, source, 'train scenario');
}

/** Whether a scenario's JSON is a train (it names `train`, not `environment`). */
export function isTrainScenario(raw: unknown): boolean {
  return typeof raw === 'object' && raw !== null && 'train' in raw;
}

/** Read and parse a train scenario file. */
export function loadTrainScenarioFile(file: string): TrainScenario {
  return parseTrainScenario(readScenarioJson(file), file);
}
