import { Token } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { BakeConfig } from '../../config';
import type { EnvironmentName } from '../../../lambda/shared/environments';
import type { Severity } from '../../../lambda/shared/severities';

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

/** Image Builder semantic versions: three numeric nodes, each at most 2^30-1. */
const MAX_VERSION_NODE = 1073741823;

/**
 * Fail synth on a value Image Builder or CloudFormation would reject at deploy time, naming the
 * field and the value received. Every broken rule is reported at once.
 */
export function validateBakePipelineProps(props: BakePipelineProps): void {
  const problems: string[] = [];
  const check = (ok: boolean, field: string, rule: string, value: unknown) => {
    if (!ok) problems.push(`${field} ${rule}, got ${JSON.stringify(value)}`);
  };
  const known = (v: unknown) => !Token.isUnresolved(v);
  const whole = (v: number, min: number, max: number) => Number.isInteger(v) && v >= min && v <= max;

  const nodes = props.recipeVersion.split('.');
  check(
    nodes.length === 3 && nodes.every((n) => /^\d+$/.test(n) && Number(n) <= MAX_VERSION_NODE),
    'recipeVersion',
    `must be major.minor.patch with each node 0-${MAX_VERSION_NODE}`,
    props.recipeVersion,
  );
  check(
    /^[a-z][a-z0-9-]{1,40}$/.test(props.app.name),
    'app.name',
    'must be 2-41 lower-case letters, digits and dashes',
    props.app.name,
  );
  check(
    props.app.artifactUri === undefined || /^(s3|https):\/\/\S+$/.test(props.app.artifactUri),
    'app.artifactUri',
    'must be an s3:// or https:// URI',
    props.app.artifactUri,
  );
  check(
    props.instanceTypes.length > 0,
    'instanceTypes',
    'must list at least one instance type',
    props.instanceTypes,
  );
  if (known(props.rootVolumeGiB)) {
    // @see https://docs.aws.amazon.com/ebs/latest/userguide/general-purpose.html (gp3: 1-16384 GiB)
    check(
      whole(props.rootVolumeGiB, 8, 16384),
      'rootVolumeGiB',
      'must be 8-16384 (gp3, at least the 8 GiB AL2023 root)',
      props.rootVolumeGiB,
    );
  }
  if (known(props.appPort))
    check(whole(props.appPort, 1, 65535), 'appPort', 'must be 1-65535', props.appPort);
  check(
    /^\/\S*$/.test(props.healthCheckPath),
    'healthCheckPath',
    'must be an absolute path such as /health',
    props.healthCheckPath,
  );

  const { deprecateAfterDays, deleteAfterDays, keepAtLeast } = props.lifecycle;
  check(
    whole(deprecateAfterDays, 1, 3650),
    'lifecycle.deprecateAfterDays',
    'must be 1-3650',
    deprecateAfterDays,
  );
  check(whole(deleteAfterDays, 1, 3650), 'lifecycle.deleteAfterDays', 'must be 1-3650', deleteAfterDays);
  check(
    deleteAfterDays > deprecateAfterDays,
    'lifecycle.deleteAfterDays',
    `must be greater than lifecycle.deprecateAfterDays (${deprecateAfterDays})`,
    deleteAfterDays,
  );
  // @see https://docs.aws.amazon.com/imagebuilder/latest/APIReference/API_LifecyclePolicyDetailFilter.html
  check(
    whole(keepAtLeast, 1, 10),
    'lifecycle.keepAtLeast',
    'must be 1-10 (Image Builder RetainAtLeast)',
    keepAtLeast,
  );
  check(whole(props.logRetentionDays, 1, 3653), 'logRetentionDays', 'must be 1-3653', props.logRetentionDays);

  if (problems.length > 0) throw new Error(`BakePipeline (${props.environment}): ${problems.join('; ')}`);
}
