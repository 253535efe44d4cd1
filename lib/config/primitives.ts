import { z } from 'zod';
import { CLOUDWATCH_LOG_RETENTION_DAYS } from '../constructs/log-retention';
import type { Rule } from '../constructs/rules';
import { cronProblems } from './cron';

/**
 * The building blocks of the configuration schemas. Messages follow the field's path ("must be
 * >= 1"), so a failure reads `prod.rollout.lockTtlSeconds must be >= 300, got 60`.
 */

export const int = (min: number, max?: number) => {
  const base = z.number({ error: 'must be a number' }).int({ error: 'must be a whole number' });
  const withMin = base.min(min, { error: `must be >= ${min}` });
  return max === undefined ? withMin : withMin.max(max, { error: `must be <= ${max}` });
};
export const ratio = z
  .number({ error: 'must be a number' })
  .gt(0, { error: 'must be > 0' })
  .max(1, { error: 'must be <= 1 (a fraction, e.g. 0.02 for 2 %)' });
/** A number that keeps a construct's rule. */
export const numberBy = (rule: Rule<number>) =>
  z.number({ error: 'must be a number' }).refine((v) => rule.test(v), { error: rule.message });
/** A string that keeps a construct's rule. */
export const stringBy = (rule: Rule<string>) =>
  z.string({ error: rule.message }).refine((v) => rule.test(v), { error: rule.message });
export const text = (what: string) =>
  z.string({ error: `must be ${what}` }).min(1, { error: `must be ${what}` });

/**
 * A schedule both EC2 Image Builder and EventBridge Scheduler take, checked field by field (see
 * cron.ts); each problem names the field and echoes the part of the expression that breaks it.
 */
export const cron = z.string({ error: 'must be a cron(...) expression' }).superRefine((expression, ctx) => {
  for (const { message, got } of cronProblems(expression))
    ctx.addIssue({ code: 'custom', message, params: { got } });
});
export const timezone = z
  .string({ error: 'must be an IANA time zone' })
  .refine((tz) => isTimeZone(tz), { error: 'must be an IANA time zone such as Europe/Paris or UTC' });
export const percentage = int(0, 100);
export const arn = (service: string) =>
  z.string({ error: `must be an ${service} ARN` }).regex(new RegExp(`^arn:aws[a-z-]*:${service}:`), {
    error: `must be an ARN of ${service} (arn:aws:${service}:...)`,
  });
export const instanceType = z
  .string({ error: 'must be an EC2 instance type' })
  .regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, { error: 'must be an EC2 instance type such as t3.small' });
export const cidr = z
  .string({ error: 'must be an IPv4 CIDR' })
  .regex(/^(\d{1,3}\.){3}\d{1,3}\/(\d|[12]\d|3[0-2])$/, {
    error: 'must be an IPv4 CIDR such as 10.0.0.0/16',
  });
export const isoInstant = z
  .string({ error: 'must be an ISO-8601 timestamp' })
  .refine((s) => !Number.isNaN(Date.parse(s)) && /T/.test(s), {
    error: 'must be an ISO-8601 timestamp such as 2026-12-20T00:00:00Z',
  });
export const account = z.string().regex(/^\d{12}$/, { error: 'must be a 12-digit AWS account id' });
export const region = z
  .string()
  .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { error: 'must be an AWS region like eu-west-1' });

/**
 * An ACM certificate ARN names its region and account; a load balancer can use only a certificate
 * of its own region ("Certificates in ACM are regional resources").
 * @see https://docs.aws.amazon.com/acm/latest/userguide/acm-regions.html
 */
export const ACM_CERTIFICATE_ARN =
  /^arn:aws[a-z-]*:acm:([a-z]{2}(?:-[a-z]+)+-\d):(\d{12}):certificate\/[0-9a-f-]{36}$/;
export const certificateArn = z
  .string({ error: 'must be an ACM certificate ARN' })
  .regex(ACM_CERTIFICATE_ARN, {
    error: 'must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)',
  });

/** Who hears of what a stack announces: at least one address, or its topic reaches nobody. */
export const notificationEmails = z.array(z.email({ error: 'must be e-mail addresses' })).min(1, {
  error: 'must name at least one address: without a subscriber no notification reaches anyone',
});

/**
 * Domains reserved for documentation and tests (RFC 2606): mail to them never reaches anyone,
 * so an address there stands for "not configured yet".
 * @see https://www.rfc-editor.org/rfc/rfc2606
 */
export function isPlaceholderAddress(email: string): boolean {
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  const labels = domain.split('.');
  const tld = labels[labels.length - 1] ?? '';
  const secondLevel = labels.slice(-2).join('.');
  return (
    ['example', 'test', 'invalid', 'localhost'].includes(tld) ||
    ['example.com', 'example.net', 'example.org'].includes(secondLevel)
  );
}

/**
 * A pinned stack deploys for real: a placeholder address there is a notification nobody reads.
 * `path` is the addresses' field (e.g. `['rollout', 'notificationEmails']`).
 */
export function placeholderAddressProblems(
  c: { account?: string | undefined; region?: string | undefined },
  addresses: readonly string[],
  path: readonly (string | number)[],
): Issue[] {
  if (c.account === undefined || c.region === undefined) return [];
  return addresses.flatMap((email, i) =>
    isPlaceholderAddress(email)
      ? [
          {
            path: [...path, i],
            message: 'must be a real address: a reserved example domain is a placeholder nobody reads',
          },
        ]
      : [],
  );
}

/**
 * The warning an unpinned stack's placeholder addresses give at synth (a pinned one fails
 * validation instead), or none. `who` names the stack (`dev`, `imageFactory`), `field` the field.
 */
export function placeholderAddressWarning(
  who: string,
  field: string,
  addresses: readonly string[],
): string[] {
  const placeholders = addresses.filter((e) => isPlaceholderAddress(e));
  if (placeholders.length === 0) return [];
  return [
    `${who} is not deployable yet: ${field} ${placeholders.join(', ')} ` +
      '(reserved example domains) reach nobody; set the addresses of the people on call.',
  ];
}

/**
 * S3 lifecycle rules take any day count, but one value drives both the flow-log group and the
 * access-log bucket, so it must be a retention period CloudWatch Logs accepts.
 */
export const logRetentionDays = z
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

/** A VPC the stack builds, or one it imports by ids (no lookup: synth stays offline). */
export const network = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('new'),
      cidr,
      maxAzs: int(2, 6),
      /** 0 means no NAT: instances reach AWS APIs through VPC endpoints only. */
      natGateways: int(0, 6),
      /** Required when the stack pins account/region, so synth never performs an AZ lookup. */
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

type NetworkValue = z.infer<typeof network>;
type Issue = { path: (string | number)[]; message: string };

/**
 * The rules every stack's placement keeps: account and region together, and a network that
 * synth can build without looking anything up. `needsPublic`: the import must bring public subnets.
 */
export function placementProblems(
  c: { account?: string | undefined; region?: string | undefined; network: NetworkValue },
  needsPublic: boolean,
): Issue[] {
  const issues: Issue[] = [];
  const n = c.network;
  if ((c.account === undefined) !== (c.region === undefined)) {
    issues.push({
      path: [c.account === undefined ? 'account' : 'region'],
      message: 'must be set together with ' + (c.account === undefined ? 'region' : 'account'),
    });
  }
  if (c.region && n.kind === 'new' && !n.availabilityZones) {
    issues.push({
      path: ['network', 'availabilityZones'],
      message: 'is required when region is set (otherwise synth would need an availability-zone lookup)',
    });
  }
  if (n.kind === 'new' && n.availabilityZones && n.availabilityZones.length < 2) {
    issues.push({ path: ['network', 'availabilityZones'], message: 'must list at least two zones' });
  }
  if (n.kind === 'import') {
    const zones = n.availabilityZones.length;
    // Vpc.fromVpcAttributes pairs subnet ids with zones in order, so each list needs one id per zone.
    if (n.privateSubnetIds.length !== zones) {
      issues.push({
        path: ['network', 'privateSubnetIds'],
        message: `must list one subnet per availability zone (${zones})`,
      });
    }
    if (needsPublic && n.publicSubnetIds.length !== zones) {
      issues.push({
        path: ['network', 'publicSubnetIds'],
        message: `must list one subnet per availability zone (${zones}) for an internet-facing load balancer`,
      });
    }
  }
  return issues;
}

/** `T` with every property and element read-only, however deep: what constructs receive. */
export type DeepReadonly<T> = T extends readonly (infer E)[]
  ? readonly DeepReadonly<E>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;
