import type { ColourMap } from '../shared/colours';

/**
 * What the workflow's steps ask of the fleet's groups, launch template, instances and images,
 * in the fleet's own terms. lambda/aws/ implements each port with the AWS SDK; domain tests use
 * in-memory fakes.
 */

export interface GroupInstance {
  readonly id: string;
  /** The Auto Scaling lifecycle state: InService, Pending, Terminating, … */
  readonly lifecycle: string;
  readonly healthy: boolean;
  /** The launch-template version the instance was launched from. */
  readonly version?: string;
}

export interface GroupView {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly desired: number;
  /** The launch-template version the group launches new instances from. */
  readonly version?: string;
  readonly instances: GroupInstance[];
}

/** A change to a group: the sizes given, and the launch-template version it launches from. */
export interface GroupChange {
  readonly launchTemplate?: { readonly id: string; readonly version: string };
  readonly min?: number;
  readonly max?: number;
  readonly desired?: number;
}

/** The blue and green Auto Scaling groups. */
export interface FleetGroups {
  /** Both colours' groups, read together; a colour whose group does not exist is left out. */
  describe(names: ColourMap<string>): Promise<Partial<ColourMap<GroupView>>>;
  /** Change a group's sizes or launch-template version; what the change leaves out stays. */
  update(name: string, change: GroupChange): Promise<void>;
}

/** The fleet's launch template, which CloudFormation owns and the workflow versions. */
export interface LaunchTemplates {
  /**
   * A new version of the template's current definition on a concrete AMI; its version number.
   * Idempotent per `idempotencyKey`: asked again with the same key and image (a retried step
   * whose first attempt went through), it returns the version that attempt created.
   */
  createVersion(
    templateId: string,
    imageId: string,
    description: string,
    idempotencyKey: string,
  ): Promise<string>;
}

/** The fleet's EC2 instances. */
export interface Instances {
  /** When each instance was launched; an instance EC2 reports no launch time for is left out. */
  launchTimes(ids: readonly string[]): Promise<ReadonlyMap<string, Date>>;
}

/** An image as EC2 describes it. */
export interface ImageView {
  readonly id: string;
  /** available, pending, failed, deregistered, … */
  readonly state?: string;
  /** The account that owns it (EC2's `OwnerId`). */
  readonly owner?: string;
  readonly tags: ReadonlyMap<string, string>;
}

/** An image EC2 did not describe, with the error code it refused it with, if it gave one. */
export interface MissingImage {
  readonly missing: true;
  readonly code?: string;
}

/** The AMIs the fleet runs, and their tags (the release record other environments read). */
export interface Images {
  describe(imageId: string): Promise<ImageView | MissingImage>;
  /** The tags of each image this account owns; one it does not own, or that no longer exists, is left out. */
  tagsOf(imageIds: readonly string[]): Promise<ReadonlyMap<string, ReadonlyMap<string, string>>>;
  /** The images this account owns that carry the tag `key` (whatever its value). */
  taggedWith(key: string): Promise<readonly string[]>;
  addTags(imageIds: readonly string[], tags: Readonly<Record<string, string>>): Promise<void>;
  removeTags(imageIds: readonly string[], keys: readonly string[]): Promise<void>;
}

/** An EC2 instance as the fleet's operators see it: what runs, since when, and its tags. */
export interface InstanceView {
  readonly id: string;
  readonly imageId?: string;
  readonly launchTime?: Date;
  /** pending, running, shutting-down, terminated, stopping, stopped */
  readonly state?: string;
  readonly tags: ReadonlyMap<string, string>;
}

/** The fleet's instances as EC2 describes them. */
export interface InstanceDetails {
  /** Each instance EC2 still knows; an id it does not is left out. */
  describe(ids: readonly string[]): Promise<readonly InstanceView[]>;
}

/** Marks on instances (the taint someone's interactive access leaves). */
export interface InstanceTagger {
  tag(ids: readonly string[], tags: Readonly<Record<string, string>>): Promise<void>;
}

/** Taking instances out of the fleet for good. */
export interface InstanceRemoval {
  /**
   * Remove instances from their group, lowering its desired capacity by as many (no replacement
   * is launched for them); the group deregisters them from its target group first.
   */
  detach(group: string, ids: readonly string[]): Promise<void>;
  /** Terminate instances no group holds any more. */
  terminate(ids: readonly string[]): Promise<void>;
}
