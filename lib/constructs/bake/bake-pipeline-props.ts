import { Token } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { BakeConfig } from '../../config';
import type { EnvironmentName } from '../../../lambda/shared/environments';
import type { Severity } from '../../../lambda/shared/severities';
import { HEALTH_CHECK_PATH, ROOT_VOLUME_GIB, TCP_PORT } from '../rules';
import type { Rule } from '../rules';
import {
  APP_NAME,
  ARTIFACT_URI,
  BUILD_LOG_RETENTION_DAYS,
  IMAGE_AGE_DAYS,
  INSTANCE_TYPES,
  KEEP_AT_LEAST,
  RECIPE_VERSION,
  deleteAfterDeprecation,
} from './bake-rules';

/** Where the recipe's parent image comes from; both forms resolve at build time, never at synth. */
export type ParentImageSource = BakeConfig['parentImage'];

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

/** Properties of {@link BakePipeline}: the environment's `bake` config plus what the fleet decides. */
export interface BakePipelineProps {
  /** Environment the pipeline bakes for; part of every name and tag. */
  readonly environment: EnvironmentName;
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
  /** Port the service listens on: the image test checks it answers there. */
  readonly appPort: number;
  /** Path that answers 200 when the service is healthy (the load balancer's health check). */
  readonly healthCheckPath: string;
  /**
   * Addresses subscribed to the pipeline's notifications (image available or failed).
   * @default none
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
  check('appPort', TCP_PORT, props.appPort);
  check('healthCheckPath', HEALTH_CHECK_PATH, props.healthCheckPath);
  check('lifecycle.deprecateAfterDays', IMAGE_AGE_DAYS, lifecycle.deprecateAfterDays);
  check('lifecycle.deleteAfterDays', IMAGE_AGE_DAYS, lifecycle.deleteAfterDays);
  check('lifecycle.deleteAfterDays', deleteAfterDeprecation(lifecycle), lifecycle.deleteAfterDays);
  check('lifecycle.keepAtLeast', KEEP_AT_LEAST, lifecycle.keepAtLeast);
  check('logRetentionDays', BUILD_LOG_RETENTION_DAYS, props.logRetentionDays);

  if (problems.length > 0) throw new Error(`BakePipeline (${props.environment}): ${problems.join('; ')}`);
}
