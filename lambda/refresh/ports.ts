/**
 * What a phoenix rotation asks of Auto Scaling's instance refreshes. lambda/aws/ implements the
 * port with the AWS SDK; domain tests use an in-memory fake.
 */

/**
 * How a refresh replaces instances. The names are the preferences AWS documents, so a reader
 * can look each one up and the adapter passes them on unchanged.
 * @see https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RefreshPreferences.html
 */
export interface RefreshPreferences {
  readonly MinHealthyPercentage: number;
  readonly MaxHealthyPercentage: number;
  readonly InstanceWarmup: number;
  readonly CheckpointPercentages?: number[];
  readonly CheckpointDelay?: number;
  readonly SkipMatching: boolean;
  readonly AutoRollback: boolean;
  readonly AlarmSpecification?: { readonly Alarms: string[] };
  readonly BakeTime?: number;
  readonly ScaleInProtectedInstances: 'Refresh' | 'Ignore' | 'Wait';
  readonly StandbyInstances: 'Terminate' | 'Ignore' | 'Wait';
}

/** A refresh as Auto Scaling reports it; AWS may leave any field out. */
export interface RefreshView {
  readonly id?: string;
  readonly status?: string;
  readonly percentageComplete?: number;
  readonly startedAt?: Date;
  readonly statusReason?: string;
  readonly rollbackReason?: string;
  /** The launch template and version the refresh moves the group to. */
  readonly target?: { readonly launchTemplateId?: string; readonly version?: string };
}

/** A started refresh's id, or word that another one already runs on the group. */
export type RefreshStart = { readonly refreshId: string } | { readonly alreadyRunning: true };

/** Instance refreshes of the fleet's groups. Only one runs per group at a time. */
export interface InstanceRefreshes {
  /** Start a rolling refresh of `group` onto a launch-template version. */
  start(
    group: string,
    target: { readonly launchTemplateId: string; readonly version: string },
    preferences: RefreshPreferences,
  ): Promise<RefreshStart>;
  /** One refresh of the group, by id; `undefined` when it no longer exists. */
  find(group: string, refreshId: string): Promise<RefreshView | undefined>;
  /** The group's newest refresh, whatever its status. */
  latest(group: string): Promise<RefreshView | undefined>;
  /** Cancel the refresh running on the group. */
  cancel(group: string): Promise<void>;
}
