import { Token } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { ImageFactoryProps } from '../../config';
import type { EnvironmentName } from '../../../lambda/shared/environments';
import type { Severity } from '../../../lambda/shared/severities';
import { APP_NAME, HEALTH_CHECK_PATH, ROOT_VOLUME_GIB, TCP_PORT } from '../rules';
import type { Rule } from '../rules';
import {
  ARTIFACT_URI,
  BUILD_LOG_RETENTION_DAYS,
  IMAGE_AGE_DAYS,
  INSTANCE_TYPES,
  KEEP_AT_LEAST,
  PROTECTED_ENVIRONMENTS,
  RECIPE_VERSION,
  deleteAfterDeprecation,
} from './bake-rules';

/** Where the recipe's parent image comes from; both forms resolve at build time, never at synth. */
export type ParentImageSource = ImageFactoryProps['parentImage'];

/** The application the image carries. */
export interface BakeAppProps {
  /** Lower-case name; also the system user the service runs as and part of every resource name. */
  readonly name: string;
  /** Release installed into the image (recorded in the recipe, so a new release means a new recipe). */
  readonly version: string;
  /**
   * s3:// or https:// URI of a release tarball with an executable `start` at its top level.
   * @default - a built-in HTTP service that answers the health check path
   */
  readonly artifactUri?: string;
  /** systemd unit the image runs at boot (`.service` is added when missing). */
  readonly serviceName: string;
  /** Port the service listens on: the image test checks it answers there. */
  readonly port: number;
  /** Path that answers 200 when the service is healthy (the image test and the load balancers). */
  readonly healthCheckPath: string;
}

/** Where the factory's images go besides its own account: launch rights, and copies to other regions. */
export interface DistributionTarget {
  readonly region: string;
  /** Accounts other than the factory's that may launch the AMI in `region`. */
  readonly accountIds: readonly string[];
}

/** When the pipeline runs. */
export interface BakeScheduleProps {
  /** Six-field `cron(...)` expression. */
  readonly cron: string;
  /** IANA time zone the cron expression is read in. */
  readonly timezone: string;
  /** Only build when the parent image or a component has a newer version. */
  readonly onlyWhenDependenciesUpdated: boolean;
}

/** The vulnerability gate. */
export interface BakeScanProps {
  /** Lowest Amazon Inspector severity that fails an image. */
  readonly failOnSeverity: Severity;
}

/** How long baked AMIs live. */
export interface BakeLifecycleProps {
  /** AMIs older than this are deprecated (still launchable by id). */
  readonly deprecateAfterDays: number;
  /** AMIs older than this are deregistered and their snapshots deleted. Must exceed `deprecateAfterDays`. */
  readonly deleteAfterDays: number;
  /** The delete rule always leaves at least this many AMIs (1-10, Image Builder's limit). */
  readonly keepAtLeast: number;
}

/** Properties of {@link BakePipeline}: the image factory's configuration and where its images go. */
export interface BakePipelineProps {
  /** Revision (e.g. git sha) the stack is deployed from; tagged on every AMI as lineage. */
  readonly sourceRevision: string;
  /** Semantic version of the image recipe (major.minor.patch). */
  readonly recipeVersion: string;
  /** Parent image: an SSM parameter (`ssm:` syntax) or an Image Builder image ARN. */
  readonly parentImage: ParentImageSource;
  /** Instance types Image Builder may build and test on. */
  readonly instanceTypes: readonly string[];
  /** Size of the encrypted gp3 root volume, GiB. */
  readonly rootVolumeGiB: number;
  /** The application installed into the image. */
  readonly app: BakeAppProps;
  /** Pipeline schedule. */
  readonly schedule: BakeScheduleProps;
  /** Vulnerability gate. */
  readonly scan: BakeScanProps;
  /** AMI retention. */
  readonly lifecycle: BakeLifecycleProps;
  /** Days build logs are kept (S3 and CloudWatch). */
  readonly logRetentionDays: number;
  /**
   * Regions and accounts the AMIs are distributed to; the factory's own region is always one.
   * @default - the factory's region only, launchable by its own account
   */
  readonly distribution?: readonly DistributionTarget[];
  /**
   * Environments whose rollback-candidate tags keep an AMI from the lifecycle policy: every
   * environment the factory's images are promoted through (one left out loses the images it may
   * roll back to).
   */
  readonly protectedEnvironments: readonly EnvironmentName[];
  /**
   * Addresses subscribed to the factory's topic: images built or failed, and image announcements
   * or lineage updates that failed (each confirms its subscription once).
   * @default none: nobody hears of a failed build unless they subscribe
   */
  readonly notificationEmails?: readonly string[];
  /**
   * VPC the build and test instances run in. They need outbound HTTPS only (see README).
   * @default - Image Builder uses the account's default VPC and its default security group
   */
  readonly vpc?: ec2.IVpc;
  /**
   * Subnets of `vpc` to build in (the first selected subnet is used).
   * @default - the VPC's private subnets (with egress, else isolated, else public)
   */
  readonly subnetSelection?: ec2.SubnetSelection;
}

/**
 * Fail synth on a value Image Builder or CloudFormation would reject at deploy time, naming the
 * field and the value received. Every broken rule is reported at once. The rules live in
 * bake-rules.ts and ../rules.ts, where the configuration schema finds them too.
 */
export function validateBakePipelineProps(props: BakePipelineProps): void {
  const problems: string[] = [];
  /** Checks a synth-time value (a deploy-time token is CloudFormation's to check). */
  const check = <T>(field: string, rule: Rule<T>, value: T) => {
    if (!Token.isUnresolved(value) && !rule.test(value)) {
      problems.push(`${field} ${rule.message}, got ${JSON.stringify(value)}`);
    }
  };
  const { lifecycle } = props;
  check('recipeVersion', RECIPE_VERSION, props.recipeVersion);
  check('app.name', APP_NAME, props.app.name);
  if (props.app.artifactUri !== undefined) check('app.artifactUri', ARTIFACT_URI, props.app.artifactUri);
  check('instanceTypes', INSTANCE_TYPES, props.instanceTypes);
  check('rootVolumeGiB', ROOT_VOLUME_GIB, props.rootVolumeGiB);
  check('app.port', TCP_PORT, props.app.port);
  check('app.healthCheckPath', HEALTH_CHECK_PATH, props.app.healthCheckPath);
  check('lifecycle.deprecateAfterDays', IMAGE_AGE_DAYS, lifecycle.deprecateAfterDays);
  check('lifecycle.deleteAfterDays', IMAGE_AGE_DAYS, lifecycle.deleteAfterDays);
  check('lifecycle.deleteAfterDays', deleteAfterDeprecation(lifecycle), lifecycle.deleteAfterDays);
  check('lifecycle.keepAtLeast', KEEP_AT_LEAST, lifecycle.keepAtLeast);
  check('logRetentionDays', BUILD_LOG_RETENTION_DAYS, props.logRetentionDays);
  check('protectedEnvironments', PROTECTED_ENVIRONMENTS, props.protectedEnvironments);

  if (problems.length > 0) throw new Error(`BakePipeline (${props.app.name}): ${problems.join('; ')}`);
}
