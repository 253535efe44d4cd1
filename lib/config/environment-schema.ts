import { z } from 'zod';
import { ON_INTERACTIVE_ACCESS } from '../../lambda/shared/operations';
import { SEVERITIES } from '../../lambda/shared/severities';
import { capacityOrderProblems } from '../constructs/fleet/fleet-rules';
import { ROOT_VOLUME_GIB } from '../constructs/rules';
import { environmentName, FROM_IMAGE_FACTORY } from './environment-name';
import {
  ACM_CERTIFICATE_ARN,
  account,
  certificateArn,
  cidr,
  cron,
  instanceType,
  int,
  isoInstant,
  logRetentionDays,
  network,
  notificationEmails,
  numberBy,
  percentage,
  placeholderAddressProblems,
  placeholderAddressWarning,
  placementProblems,
  ratio,
  region,
  text,
  timezone,
} from './primitives';
import type { DeepReadonly } from './primitives';

/**
 * The schema every environment's configuration must satisfy. Product policy (what an
 * environment may configure) lives here only; an AWS limit or an invariant a construct relies
 * on is defined once, next to that construct (the rules files beside each construct), and used
 * here so the configuration reports it under its field.
 */

const fleet = z
  .strictObject({
    instanceType,
    /** What the workflow gives the live colour; CloudFormation never sets desired capacity. */
    capacity: z.strictObject({ min: int(1, 1000), desired: int(1, 1000), max: int(1, 2000) }),
    rootVolumeGiB: numberBy(ROOT_VOLUME_GIB),
    /** The application's port and health path come from the image factory's `app`. */
    healthCheck: z.strictObject({
      intervalSeconds: int(5, 300),
      timeoutSeconds: int(2, 120),
      healthyThreshold: int(2, 10),
      unhealthyThreshold: int(2, 10),
      /** ASG health-check grace period after launch. */
      gracePeriodSeconds: int(0, 7200),
    }),
    loadBalancer: z.strictObject({
      internetFacing: z.boolean(),
      certificateArn: certificateArn.optional(),
      /** Who may reach the listener. */
      ingressCidr: cidr,
      deletionProtection: z.boolean(),
    }),
    /** Allow AWS Systems Manager Session Manager on instances (an administrative login path). */
    sessionManager: z.boolean(),
    /**
     * What happens to an instance someone opened a session on, ran a command on or pushed an SSH
     * key to: `replace` (tag it tainted and replace it through the workflow) or `alert` (tag it
     * tainted and notify). Either way the tag and the notification say who, when and how.
     */
    onInteractiveAccess: z.enum(ON_INTERACTIVE_ACCESS, { error: 'must be "replace" or "alert"' }),
    /**
     * Days the environment's operational logs are kept: the load balancer's access logs, the VPC
     * flow logs, the instances' logs, and the rollout workflow's functions and state machine.
     */
    logRetentionDays,
    alarms: z.strictObject({
      max5xxRatio: ratio,
      p99LatencySeconds: z.number().gt(0, { error: 'must be > 0' }).max(60, { error: 'must be <= 60' }),
      maxUnhealthyHosts: int(0, 1000),
      evaluationPeriods: int(1, 60),
      datapointsToAlarm: int(1, 60),
    }),
  })
  .superRefine((f, ctx) => {
    for (const { field, message } of capacityOrderProblems(f.capacity)) {
      ctx.addIssue({ code: 'custom', path: ['capacity', field], message });
    }
    if (f.healthCheck.timeoutSeconds >= f.healthCheck.intervalSeconds) {
      ctx.addIssue({
        code: 'custom',
        path: ['healthCheck', 'timeoutSeconds'],
        message: `must be less than healthCheck.intervalSeconds (${f.healthCheck.intervalSeconds})`,
      });
    }
    if (f.alarms.datapointsToAlarm > f.alarms.evaluationPeriods) {
      ctx.addIssue({
        code: 'custom',
        path: ['alarms', 'datapointsToAlarm'],
        message: `must be <= alarms.evaluationPeriods (${f.alarms.evaluationPeriods})`,
      });
    }
  });

const steps = z
  .array(int(1, 100))
  .min(1, { error: 'must list at least one traffic step' })
  .refine((s) => s.every((v, i) => i === 0 || v > (s[i - 1] ?? 0)), { error: 'must be strictly increasing' })
  .refine((s) => s[s.length - 1] === 100, { error: 'must end at 100 (full traffic on the new image)' });

const rollout = z
  .strictObject({
    /** Phoenix rotations skip a fleet whose every instance is younger than this. */
    maxInstanceAgeDays: int(1, 365),
    /**
     * The fleet-age alarm fires when the oldest instance is older than maxInstanceAgeDays plus
     * this: long enough for the phoenix schedule to come round (a rotation skips a fleet younger
     * than the maximum, so the oldest instance may legitimately reach it plus one period).
     */
    fleetAgeGraceDays: int(0, 365),
    /**
     * How long an instance of this application takes from launch to a healthy target. The
     * workflow aims its polls at when things should be done; a good value means few polls.
     */
    expectedBootSeconds: int(10, 3600),
    /** Refuse to delete the rollout ledger (the audit trail) with the stack. */
    ledgerDeletionProtection: z.boolean(),
    refresh: z
      .strictObject({
        minHealthyPercentage: percentage,
        maxHealthyPercentage: int(100, 200),
        instanceWarmupSeconds: int(0, 3600),
        checkpointPercentages: z
          .array(int(1, 100))
          .refine((s) => s.every((v, i) => i === 0 || v > (s[i - 1] ?? 0)), {
            error: 'must be strictly increasing',
          }),
        checkpointDelaySeconds: int(0, 172800),
        /** Seconds a finished refresh waits, alarms armed, before it is Successful. */
        bakeTimeSeconds: int(0, 172800),
      })
      .superRefine((r, ctx) => {
        // @see https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RefreshPreferences.html
        if (r.maxHealthyPercentage - r.minHealthyPercentage > 100) {
          ctx.addIssue({
            code: 'custom',
            path: ['maxHealthyPercentage'],
            message: `minus minHealthyPercentage must be <= 100 (AWS rule), got a spread of ${r.maxHealthyPercentage - r.minHealthyPercentage}`,
          });
        }
        const last = r.checkpointPercentages[r.checkpointPercentages.length - 1];
        if (last !== undefined && last !== 100) {
          ctx.addIssue({
            code: 'custom',
            path: ['checkpointPercentages'],
            message: 'must end at 100 when given (AWS rule)',
          });
        }
      }),
    canary: z.strictObject({
      steps,
      /** Seconds each step holds its weights before it is judged. */
      bakeSeconds: int(60, 86400),
      /** Deadline for the canary colour's targets to become healthy. */
      healthyDeadlineSeconds: int(60, 7200),
      /** A canary 5xx ratio above this fails the step. */
      max5xxRatio: ratio,
      /** ... as does a canary 5xx ratio this much above the baseline's. */
      max5xxRatioIncrease: ratio,
      /** A canary p99 latency above this fails the step. */
      maxP99LatencySeconds: z.number().gt(0, { error: 'must be > 0' }).max(60, { error: 'must be <= 60' }),
      /** ... as does a canary p99 this many times the baseline's. */
      maxLatencyRatio: z.number().min(1, { error: 'must be >= 1' }).max(10, { error: 'must be <= 10' }),
      /** Below this many canary requests in a step, the metrics are too thin to judge; alarms still apply. */
      minRequests: int(0, 10000000),
    }),
    /** Traffic steps for an operator rollback when the previous colour is no longer warm. */
    rollbackSteps: steps,
    /** After a promotion, the previous colour stays up this long so a rollback is an instant weight flip. */
    scaleDownDelaySeconds: int(0, 86400),
    /** A lock older than this is considered abandoned. Must outlast the workflow's timeout. */
    lockTtlSeconds: int(300, 604800),
    /** The workflow's own timeout. */
    timeoutMinutes: int(10, 10080),
    phoenixSchedule: z.strictObject({
      enabled: z.boolean(),
      cron,
      timezone,
      flexibleWindowMinutes: int(0, 1440),
    }),
    /** Scheduled rotations skip (with the reason recorded) inside these windows. */
    freezeWindows: z.array(z.strictObject({ start: isoInstant, end: isoInstant, reason: text('a reason') })),
    /** Who hears of every rollout outcome, promotion and failed trigger: at least one address. */
    notificationEmails,
  })
  .superRefine((r, ctx) => {
    if (r.lockTtlSeconds <= r.timeoutMinutes * 60) {
      ctx.addIssue({
        code: 'custom',
        path: ['lockTtlSeconds'],
        message: `must be greater than timeoutMinutes × 60 (${r.timeoutMinutes * 60}) so a live run never loses its lock`,
      });
    }
    r.freezeWindows.forEach((w, i) => {
      if (Date.parse(w.end) <= Date.parse(w.start)) {
        ctx.addIssue({ code: 'custom', path: ['freezeWindows', i, 'end'], message: 'must be after start' });
      }
    });
  });

/**
 * Where an environment's images come from: what the image factory bakes (its scan gate first), or
 * what another environment *released*, after a soak, and with a person's approval where
 * `approval` is manual. Several environments may take from the same source; the product checks
 * that the sources form no cycle and that some environment takes the factory's images.
 */
const fromImageFactory = z.strictObject({ from: z.literal(FROM_IMAGE_FACTORY) });
const fromEnvironment = z.strictObject({
  /** The environment whose releases this one takes. */
  from: environmentName,
  /** Minutes a release must stand upstream before this environment starts its canary. */
  soakMinutes: int(0, 10080),
  /** `manual`: after the soak, a person approves (`npm run approve`) before the canary starts. */
  approval: z.enum(['automatic', 'manual'], { error: 'must be "automatic" or "manual"' }),
  /** How long a manual approval is waited for before the promotion ends. */
  approvalTimeoutHours: int(1, 720),
});
type Promotion = z.infer<typeof fromImageFactory> | z.infer<typeof fromEnvironment>;

/**
 * `from` decides which shape applies, as a discriminated union would; zod's needs a literal on
 * every side, and an environment's name is any string, so the choice is made here and the chosen
 * shape's own issues are reported under `promotion`.
 */
const promotion = z.unknown().transform((value, ctx): Promotion => {
  const from = typeof value === 'object' && value !== null ? (value as { from?: unknown }).from : undefined;
  if (typeof from !== 'string') {
    ctx.addIssue({
      code: 'custom',
      message:
        'must be {"from":"image-factory"} or {"from":"<environment>","soakMinutes":…,"approval":…,"approvalTimeoutHours":…}',
    });
    return z.NEVER;
  }
  const parsed = (from === FROM_IMAGE_FACTORY ? fromImageFactory : fromEnvironment).safeParse(value);
  if (parsed.success) return parsed.data;
  // Each issue as the chosen shape reported it (its code, path and message), under `promotion`.
  for (const issue of parsed.error.issues) ctx.addIssue({ ...issue });
  return z.NEVER;
});

export const environmentConfigSchema = z
  .strictObject({
    name: environmentName,
    account: account.optional(),
    region: region.optional(),
    promotion,
    /** Which images the fleet runs: always the image factory's, scanned, at this threshold. */
    images: z.strictObject({
      /**
       * Lowest Inspector severity that keeps an image out of this environment, checked again at
       * every canary, rotation and rollback (stricter here than upstream is allowed).
       */
      failOnSeverity: z.enum(SEVERITIES, { error: `must be one of ${SEVERITIES.join(', ')}` }),
      /** Accounts besides the image factory's whose AMIs may run here (only those the factory announced). */
      trustedOwners: z.array(account),
    }),
    network,
    fleet,
    rollout,
  })
  .superRefine((c, ctx) => {
    if (c.name === 'prod' && !c.fleet.loadBalancer.certificateArn) {
      ctx.addIssue({
        code: 'custom',
        path: ['fleet', 'loadBalancer', 'certificateArn'],
        message: 'is required in prod (production traffic is served over HTTPS only)',
      });
    }
    if (c.promotion.from === c.name) {
      ctx.addIssue({
        code: 'custom',
        path: ['promotion', 'from'],
        message: 'must name a different environment',
      });
    }
    for (const issue of placementProblems(c, c.fleet.loadBalancer.internetFacing))
      ctx.addIssue({ code: 'custom', ...issue });
    for (const issue of certificateProblems(c)) ctx.addIssue({ code: 'custom', ...issue });
    for (const issue of placeholderAddressProblems(c, c.rollout.notificationEmails, [
      'rollout',
      'notificationEmails',
    ]))
      ctx.addIssue({ code: 'custom', ...issue });
  });

export type EnvironmentConfig = z.infer<typeof environmentConfigSchema>;

/**
 * A pinned environment's certificate must be of its own region and account: the load balancer
 * cannot use another's. Unpinned, synth cannot tell (see {@link deployabilityWarnings}).
 */
function certificateProblems(c: {
  account?: string | undefined;
  region?: string | undefined;
  fleet: { loadBalancer: { certificateArn?: string | undefined } };
}): { path: string[]; message: string }[] {
  const certificate = c.fleet.loadBalancer.certificateArn;
  const issued = certificate === undefined ? undefined : ACM_CERTIFICATE_ARN.exec(certificate);
  if (c.account === undefined || c.region === undefined || !issued) return [];
  const [, region, account] = issued;
  const path = ['fleet', 'loadBalancer', 'certificateArn'];
  return [
    ...(region !== c.region
      ? [
          {
            path,
            message: `must be a certificate of ${c.region}, the environment's region (ACM certificates are regional: the load balancer cannot use one of ${region})`,
          },
        ]
      : []),
    ...(account !== c.account
      ? [
          {
            path,
            message: `must be a certificate of account ${c.account}, the environment's account (the load balancer cannot use one of ${account})`,
          },
        ]
      : []),
  ];
}

/**
 * What keeps a valid environment from being deployed yet, one sentence each. An environment that
 * is not pinned to an account and region synthesizes (offline, for review and rehearsal) with
 * values the rules above can only check once it is pinned: its certificate, whose region and
 * account must be the environment's, and placeholder notification addresses. Pinned, the same
 * values fail validation instead.
 */
export function deployabilityWarnings(c: DeepReadonly<EnvironmentConfig>): string[] {
  if (c.account !== undefined && c.region !== undefined) return [];
  const warnings: string[] = [];
  const certificate = c.fleet.loadBalancer.certificateArn;
  if (certificate !== undefined) {
    warnings.push(
      `${c.name} is not deployable yet: fleet.loadBalancer.certificateArn (${certificate}) must be a ` +
        "certificate of the environment's account and region, which only a pinned environment names; " +
        'set account, region and network.availabilityZones.',
    );
  }
  return [
    ...warnings,
    ...placeholderAddressWarning(c.name, 'rollout.notificationEmails', c.rollout.notificationEmails),
  ];
}
export type PromotionConfig = EnvironmentConfig['promotion'];

/**
 * Whether an environment takes another environment's releases, narrowing its promotion to that
 * shape (`from === "image-factory"` cannot: an environment's name is any string to the compiler).
 */
export function takesReleases<P extends { readonly from: string }>(
  promotion: P,
): promotion is Extract<P, { readonly soakMinutes: number }> {
  return promotion.from !== FROM_IMAGE_FACTORY;
}
