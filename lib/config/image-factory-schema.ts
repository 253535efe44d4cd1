import { z } from 'zod';
import { SEVERITIES } from '../../lambda/shared/severities';
import {
  ARTIFACT_URI,
  BUILD_LOG_RETENTION_DAYS,
  IMAGE_AGE_DAYS,
  INSTANCE_TYPES,
  KEEP_AT_LEAST,
  RECIPE_VERSION,
  deleteAfterDeprecation,
} from '../constructs/bake/bake-rules';
import { APP_NAME, HEALTH_CHECK_PATH, ROOT_VOLUME_GIB, TCP_PORT } from '../constructs/rules';
import {
  account,
  arn,
  cron,
  instanceType,
  network,
  notificationEmails,
  numberBy,
  placeholderAddressProblems,
  placeholderAddressWarning,
  placementProblems,
  region,
  stringBy,
  text,
  timezone,
} from './primitives';
import type { DeepReadonly } from './primitives';

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

/**
 * The image factory: the one Image Builder pipeline that bakes, tests, scans and distributes
 * every AMI the environments run. Its own stack (`Immutable-images`), in a tooling account or
 * the first environment's.
 */
export const imageFactoryConfigSchema = z
  .strictObject({
    /** Where the factory runs; both or neither (neither: env-agnostic, deployed with the environments' account). */
    account: account.optional(),
    region: region.optional(),
    /** The revision (e.g. a git sha) the stacks are deployed from; tags every baked AMI. */
    sourceRevision: z
      .string()
      .regex(/^[\w.-]{1,64}$/, { error: 'must be 1-64 letters, digits, dots or dashes (a git sha)' }),
    /** The network the build and test instances run in. */
    network,
    recipeVersion: stringBy(RECIPE_VERSION),
    parentImage,
    instanceTypes: z
      .array(instanceType)
      .refine((v) => INSTANCE_TYPES.test(v), { error: INSTANCE_TYPES.message }),
    rootVolumeGiB: numberBy(ROOT_VOLUME_GIB),
    /** The application every image carries; the fleets serve it on its port and health path. */
    app: z.strictObject({
      name: stringBy(APP_NAME),
      version: text('the application version to install'),
      /** Where the install script fetches the application from (S3 or HTTPS); empty means the script builds it. */
      artifactUri: stringBy(ARTIFACT_URI).optional(),
      /** Name of the systemd unit the image must run. */
      serviceName: z.string().regex(/^[a-zA-Z0-9@._-]+$/, { error: 'must be a systemd unit name' }),
      /** The port the application listens on: the image test checks it, the fleets route to it. */
      port: numberBy(TCP_PORT),
      /** The path that answers 200 when the application is healthy (image test and target groups). */
      healthCheckPath: stringBy(HEALTH_CHECK_PATH),
    }),
    schedule: z.strictObject({
      cron,
      timezone,
      /** Only rebuild when the parent image or components have updates (EXPRESSION_MATCH_AND_DEPENDENCY_UPDATES_AVAILABLE). */
      onlyWhenDependenciesUpdated: z.boolean(),
    }),
    scan: z.strictObject({
      /**
       * Lowest Inspector severity that keeps an image out. Image Builder keeps each image's
       * findings and fails none on them; the factory announces them with the image, and the
       * environment that takes the factory's images refuses one whose findings reach this.
       */
      failOnSeverity: z.enum(SEVERITIES, { error: `must be one of ${SEVERITIES.join(', ')}` }),
    }),
    lifecycle: z.strictObject({
      deprecateAfterDays: numberBy(IMAGE_AGE_DAYS),
      deleteAfterDays: numberBy(IMAGE_AGE_DAYS),
      /** AMIs the delete rule always leaves in place. */
      keepAtLeast: numberBy(KEEP_AT_LEAST),
    }),
    logRetentionDays: numberBy(BUILD_LOG_RETENTION_DAYS),
    /**
     * Who hears of the factory's images (built or failed) and of announcements or lineage updates
     * that failed: at least one address.
     */
    notificationEmails,
  })
  .superRefine((f, ctx) => {
    const later = deleteAfterDeprecation(f.lifecycle);
    if (!later.test(f.lifecycle.deleteAfterDays)) {
      ctx.addIssue({ code: 'custom', path: ['lifecycle', 'deleteAfterDays'], message: later.message });
    }
    for (const issue of placementProblems(f, false)) ctx.addIssue({ code: 'custom', ...issue });
    // Without NAT the builds reach S3 and AWS endpoints only: an https:// download has no route.
    if (
      f.network.kind === 'new' &&
      f.network.natGateways === 0 &&
      f.app.artifactUri?.startsWith('https://')
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['app', 'artifactUri'],
        message:
          'cannot be an https:// URI while network.natGateways is 0 (the builds have no route to the internet); ' +
          'put the release in S3 (s3://bucket/key) or give the factory network a NAT gateway',
      });
    }
    for (const issue of placeholderAddressProblems(f, f.notificationEmails, ['notificationEmails']))
      ctx.addIssue({ code: 'custom', ...issue });
  });

export type ImageFactoryConfig = z.infer<typeof imageFactoryConfigSchema>;

/**
 * What keeps a valid image factory from being deployed yet: placeholder notification addresses,
 * which synth accepts while the factory is not pinned to an account and region (pinned, they fail
 * validation instead).
 */
export function imageFactoryDeployabilityWarnings(f: DeepReadonly<ImageFactoryConfig>): string[] {
  if (f.account !== undefined && f.region !== undefined) return [];
  return placeholderAddressWarning('imageFactory', 'notificationEmails', f.notificationEmails);
}
