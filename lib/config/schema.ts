import { z } from 'zod';
import { ENVIRONMENT_NAMES } from '../../lambda/shared/environments';
import { SEVERITIES } from '../../lambda/shared/severities';
import {
  APP_NAME,
  ARTIFACT_URI,
  BUILD_LOG_RETENTION_DAYS,
  IMAGE_AGE_DAYS,
  INSTANCE_TYPES,
  KEEP_AT_LEAST,
  RECIPE_VERSION,
  deleteAfterDeprecation,
} from '../constructs/bake/bake-rules';
import { capacityOrderProblems } from '../constructs/fleet/fleet-rules';
import { CLOUDWATCH_LOG_RETENTION_DAYS } from '../constructs/log-retention';
import { HEALTH_CHECK_PATH, ROOT_VOLUME_GIB, TCP_PORT } from '../constructs/rules';
import type { Rule } from '../constructs/rules';

/**
 * The schema every environment's configuration must satisfy. Messages are phrased to
 * follow the field path ("must be >= 1"), so a failure reads
 * `prod.bake.lifecycle.keepAtLeast must be a whole number 1-10 (Image Builder RetainAtLeast), got 0`.
 *
 * Product policy (what an environment may configure) lives here only. An AWS limit or an
 * invariant a construct relies on is defined once, next to that construct (lib/constructs/**
 * /*-rules.ts and rules.ts), and used here so the configuration reports it under its field.
 */

const int = (min: number, max?: number) => {
  const base = z.number({ error: 'must be a number' }).int({ error: 'must be a whole number' });
  const withMin = base.min(min, { error: `must be >= ${min}` });
  return max === undefined ? withMin : withMin.max(max, { error: `must be <= ${max}` });
};
const ratio = z
  .number({ error: 'must be a number' })
  .gt(0, { error: 'must be > 0' })
  .max(1, { error: 'must be <= 1 (a fraction, e.g. 0.02 for 2 %)' });
/** A number that keeps a construct's rule. */
const numberBy = (rule: Rule<number>) =>
  z.number({ error: 'must be a number' }).refine((v) => rule.test(v), { error: rule.message });
/** A string that keeps a construct's rule. */
const stringBy = (rule: Rule<string>) =>
  z.string({ error: rule.message }).refine((v) => rule.test(v), { error: rule.message });
const text = (what: string) => z.string({ error: `must be ${what}` }).min(1, { error: `must be ${what}` });

/** Image Builder and EventBridge Scheduler both take six-field cron expressions wrapped in `cron(...)`. */
const cron = z.string({ error: 'must be a cron(...) expression' }).regex(/^cron\((\S+\s+){5}\S+\)$/, {
  error: 'must be a six-field cron(...) expression, e.g. cron(0 4 ? * TUE *)',
});
const timezone = z
  .string({ error: 'must be an IANA time zone' })
  .refine((tz) => isTimeZone(tz), { error: 'must be an IANA time zone such as Europe/Paris or UTC' });
const percentage = int(0, 100);
const arn = (service: string) =>
  z.string({ error: `must be an ${service} ARN` }).regex(new RegExp(`^arn:aws[a-z-]*:${service}:`), {
    error: `must be an ARN of ${service} (arn:aws:${service}:...)`,
  });
/**
 * An ACM certificate ARN names its region and account; a load balancer can use only a certificate
 * of its own region ("Certificates in ACM are regional resources").
 * @see https://docs.aws.amazon.com/acm/latest/userguide/acm-regions.html
 */
const ACM_CERTIFICATE_ARN =
  /^arn:aws[a-z-]*:acm:([a-z]{2}(?:-[a-z]+)+-\d):(\d{12}):certificate\/[0-9a-f-]{36}$/;
const certificateArn = z.string({ error: 'must be an ACM certificate ARN' }).regex(ACM_CERTIFICATE_ARN, {
  error: 'must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)',
});

/**
 * Domains reserved for documentation and tests (RFC 2606): mail to them never reaches anyone,
 * so an address there stands for "not configured yet".
 * @see https://www.rfc-editor.org/rfc/rfc2606
 */
function isPlaceholderAddress(email: string): boolean {
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  const labels = domain.split('.');
  const tld = labels[labels.length - 1] ?? '';
  const secondLevel = labels.slice(-2).join('.');
  return (
    ['example', 'test', 'invalid', 'localhost'].includes(tld) ||
    ['example.com', 'example.net', 'example.org'].includes(secondLevel)
  );
}

const instanceType = z
  .string({ error: 'must be an EC2 instance type' })
  .regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, { error: 'must be an EC2 instance type such as t3.small' });
const cidr = z
  .string({ error: 'must be an IPv4 CIDR' })
  .regex(/^(\d{1,3}\.){3}\d{1,3}\/(\d|[12]\d|3[0-2])$/, {
    error: 'must be an IPv4 CIDR such as 10.0.0.0/16',
  });
const isoInstant = z
  .string({ error: 'must be an ISO-8601 timestamp' })
  .refine((s) => !Number.isNaN(Date.parse(s)) && /T/.test(s), {
    error: 'must be an ISO-8601 timestamp such as 2026-12-20T00:00:00Z',
  });

/**
 * S3 lifecycle rules take any day count, but one value drives both the flow-log group and the
 * access-log bucket, so it must be a retention period CloudWatch Logs accepts.
 */
const logRetentionDays = z
  .number({ error: 'must be a number' })
  .refine((d) => CLOUDWATCH_LOG_RETENTION_DAYS.includes(d), {
    error: `must be a CloudWatch Logs retention period (${CLOUDWATCH_LOG_RETENTION_DAYS.join(', ')})`,
  });

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const parentImage = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('ssm-parameter'),
      /** A public or account SSM parameter holding an AMI id, resolved by CloudFormation at deploy time. */
      name: z.string().regex(/^\/[\w./-]+$/, { error: 'must be an SSM parameter name starting with /' }),
    }),
    z.strictObject({
      kind: z.literal('image-arn'),
      /** An AWS-managed or account Image Builder image ARN (e.g. .../image/amazon-linux-2023-x86/x.x.x). */
      arn: arn('imagebuilder'),
    }),
  ],
  { error: 'must be {"kind":"ssm-parameter","name":...} or {"kind":"image-arn","arn":...}' },
);

const bake = z
  .strictObject({
    recipeVersion: stringBy(RECIPE_VERSION),
    parentImage,
    instanceTypes: z
      .array(instanceType)
      .refine((v) => INSTANCE_TYPES.test(v), { error: INSTANCE_TYPES.message }),
    rootVolumeGiB: numberBy(ROOT_VOLUME_GIB),
    app: z.strictObject({
      name: stringBy(APP_NAME),
      version: text('the application version to install'),
      /** Where the install script fetches the application from (S3 or HTTPS); empty means the script builds it. */
      artifactUri: stringBy(ARTIFACT_URI).optional(),
      /** Name of the systemd unit the image must run. */
      serviceName: z.string().regex(/^[a-zA-Z0-9@._-]+$/, { error: 'must be a systemd unit name' }),
    }),
    schedule: z.strictObject({
      cron,
      timezone,
      /** Only rebuild when the parent image or components have updates (EXPRESSION_MATCH_AND_DEPENDENCY_UPDATES_AVAILABLE). */
      onlyWhenDependenciesUpdated: z.boolean(),
    }),
    scan: z.strictObject({
      /** Lowest Inspector severity that fails the image; findings at or above it stop the image. */
      failOnSeverity: z.enum(SEVERITIES, { error: `must be one of ${SEVERITIES.join(', ')}` }),
    }),
    lifecycle: z.strictObject({
      deprecateAfterDays: numberBy(IMAGE_AGE_DAYS),
      deleteAfterDays: numberBy(IMAGE_AGE_DAYS),
      /** AMIs the delete rule always leaves in place. */
      keepAtLeast: numberBy(KEEP_AT_LEAST),
    }),
    logRetentionDays: numberBy(BUILD_LOG_RETENTION_DAYS),
  })
  .superRefine((b, ctx) => {
    const later = deleteAfterDeprecation(b.lifecycle);
    if (!later.test(b.lifecycle.deleteAfterDays)) {
      ctx.addIssue({ code: 'custom', path: ['lifecycle', 'deleteAfterDays'], message: later.message });
    }
  });

const network = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('new'),
      cidr,
      maxAzs: int(2, 6),
      /** 0 means no NAT: instances reach AWS APIs through VPC endpoints only. */
      natGateways: int(0, 6),
      /** Required when the environment pins account/region, so synth never performs an AZ lookup. */
      availabilityZones: z
        .array(
          z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/, { error: 'must be AZ names like eu-west-1a' }),
        )
        .optional(),
    }),
    z.strictObject({
      kind: z.literal('import'),
      vpcId: z
        .string()
        .regex(/^vpc-[0-9a-f]{8,17}$/, { error: 'must be a VPC id like vpc-0123456789abcdef0' }),
      vpcCidr: cidr,
      availabilityZones: z.array(z.string()).min(2, { error: 'must list at least two availability zones' }),
      privateSubnetIds: z.array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/, { error: 'must be subnet ids' })),
      publicSubnetIds: z.array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/, { error: 'must be subnet ids' })),
    }),
  ],
  { error: 'must be {"kind":"new",...} or {"kind":"import",...}' },
);

const fleet = z
  .strictObject({
    instanceType,
    appPort: numberBy(TCP_PORT),
    /** What the workflow gives the live colour; CloudFormation never sets desired capacity. */
    capacity: z.strictObject({ min: int(1, 1000), desired: int(1, 1000), max: int(1, 2000) }),
    rootVolumeGiB: numberBy(ROOT_VOLUME_GIB),
    healthCheck: z.strictObject({
      path: stringBy(HEALTH_CHECK_PATH),
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
    /** Canary only accepts images already released successfully in this environment. */
    promoteFrom: z.enum(ENVIRONMENT_NAMES, { error: 'must be dev, staging or prod' }).optional(),
    /** Who hears of every rollout outcome, failed trigger and baked image: at least one address. */
    notificationEmails: z.array(z.email({ error: 'must be e-mail addresses' })).min(1, {
      error: 'must name at least one address: without a subscriber no notification reaches anyone',
    }),
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

export const environmentConfigSchema = z
  .strictObject({
    name: z.enum(ENVIRONMENT_NAMES, { error: 'must be dev, staging or prod' }),
    account: z
      .string()
      .regex(/^\d{12}$/, { error: 'must be a 12-digit AWS account id' })
      .optional(),
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { error: 'must be an AWS region like eu-west-1' })
      .optional(),
    /** The revision (e.g. a git sha) the stack is deployed from; tags every baked AMI. */
    sourceRevision: z
      .string()
      .regex(/^[\w.-]{1,64}$/, { error: 'must be 1-64 letters, digits, dots or dashes (a git sha)' }),
    bake,
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
    if (c.rollout.promoteFrom === c.name) {
      ctx.addIssue({
        code: 'custom',
        path: ['rollout', 'promoteFrom'],
        message: 'must name a different environment',
      });
    }
    if (c.region && c.network.kind === 'new' && !c.network.availabilityZones) {
      ctx.addIssue({
        code: 'custom',
        path: ['network', 'availabilityZones'],
        message: 'is required when region is set (otherwise synth would need an availability-zone lookup)',
      });
    }
    if (c.network.kind === 'new' && c.network.availabilityZones && c.network.availabilityZones.length < 2) {
      ctx.addIssue({
        code: 'custom',
        path: ['network', 'availabilityZones'],
        message: 'must list at least two zones',
      });
    }
    if (c.network.kind === 'import') {
      const zones = c.network.availabilityZones.length;
      // Vpc.fromVpcAttributes pairs subnet ids with zones in order, so each list needs one id per zone.
      if (c.network.privateSubnetIds.length !== zones) {
        ctx.addIssue({
          code: 'custom',
          path: ['network', 'privateSubnetIds'],
          message: `must list one subnet per availability zone (${zones})`,
        });
      }
      if (c.fleet.loadBalancer.internetFacing && c.network.publicSubnetIds.length !== zones) {
        ctx.addIssue({
          code: 'custom',
          path: ['network', 'publicSubnetIds'],
          message: `must list one subnet per availability zone (${zones}) for an internet-facing load balancer`,
        });
      }
    }
    const pinned = c.account !== undefined && c.region !== undefined;
    const certificate = c.fleet.loadBalancer.certificateArn;
    const issued = certificate === undefined ? undefined : ACM_CERTIFICATE_ARN.exec(certificate);
    if (pinned && issued) {
      const [, region, account] = issued;
      if (region !== c.region) {
        ctx.addIssue({
          code: 'custom',
          path: ['fleet', 'loadBalancer', 'certificateArn'],
          message: `must be a certificate of ${c.region}, the environment's region (ACM certificates are regional: the load balancer cannot use one of ${region})`,
        });
      }
      if (account !== c.account) {
        ctx.addIssue({
          code: 'custom',
          path: ['fleet', 'loadBalancer', 'certificateArn'],
          message: `must be a certificate of account ${c.account}, the environment's account (the load balancer cannot use one of ${account})`,
        });
      }
    }
    if (pinned) {
      c.rollout.notificationEmails.forEach((email, i) => {
        if (isPlaceholderAddress(email)) {
          ctx.addIssue({
            code: 'custom',
            path: ['rollout', 'notificationEmails', i],
            message: 'must be a real address: a reserved example domain is a placeholder nobody reads',
          });
        }
      });
    }
    if ((c.account === undefined) !== (c.region === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [c.account === undefined ? 'account' : 'region'],
        message: 'must be set together with ' + (c.account === undefined ? 'region' : 'account'),
      });
    }
  });

export type EnvironmentConfig = z.infer<typeof environmentConfigSchema>;

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
  const placeholders = c.rollout.notificationEmails.filter((e) => isPlaceholderAddress(e));
  if (placeholders.length > 0) {
    warnings.push(
      `${c.name} is not deployable yet: rollout.notificationEmails ${placeholders.join(', ')} ` +
        '(reserved example domains) reach nobody; set the addresses of the people on call.',
    );
  }
  return warnings;
}

/** `T` with every property and element read-only, however deep: what constructs receive. */
export type DeepReadonly<T> = T extends readonly (infer E)[]
  ? readonly DeepReadonly<E>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** The configuration slices the constructs take as props (read-only all the way down). */
export type BakeConfig = DeepReadonly<EnvironmentConfig['bake']>;
export type NetworkConfig = DeepReadonly<EnvironmentConfig['network']>;
export type FleetConfig = DeepReadonly<EnvironmentConfig['fleet']>;
export type RolloutConfig = DeepReadonly<EnvironmentConfig['rollout']>;
