import type {
  CreateLaunchTemplateVersionCommandInput,
  CreateLaunchTemplateVersionCommandOutput,
  CreateTagsCommandInput,
  CreateTagsCommandOutput,
  DeleteTagsCommandInput,
  DeleteTagsCommandOutput,
  DescribeImagesCommandInput,
  DescribeImagesCommandOutput,
  DescribeInstancesCommandInput,
  DescribeInstancesCommandOutput,
  DescribeLaunchTemplatesCommandInput,
  DescribeLaunchTemplatesCommandOutput,
  LaunchTemplateVersion,
  TerminateInstancesCommandInput,
  TerminateInstancesCommandOutput,
} from '@aws-sdk/client-ec2';
import { awsError, SimulatorUnsupportedError } from '../errors';
import type { Instance, LaunchTemplateVersionRecord } from '../account-records';
import type { CatalogImage } from '../image-catalog';
import type { Place } from '../place';
import type { World } from '../world';

type Out<T> = Omit<T, '$metadata'>;
const AMI_ID = /^ami-([0-9a-f]{8}|[0-9a-f]{17})$/;
const INSTANCE_ID = /^i-([0-9a-f]{8}|[0-9a-f]{17})$/;
const LAUNCH_TEMPLATE_ID = /^lt-[0-9a-f]{17}$/;

/**
 * EC2 error codes.
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
 */
const ec2Error = (code: string, message: string) => awsError('ec2', code, message);

/** EC2: images (AMIs) and their tags, the launch template's versions, instances. */
export class Ec2Service {
  private readonly clientTokens = new Map<
    string,
    { readonly request: string; readonly output: Out<CreateLaunchTemplateVersionCommandOutput> }
  >();

  /**
   * @param place the account and region the calls are made in (its AMIs are the region's catalog's)
   * @param fleet the fleet whose instances and launch template these calls reach, if any
   */
  constructor(
    private readonly place: Place,
    private readonly fleet?: World,
  ) {}

  private get world(): World {
    if (!this.fleet)
      throw new SimulatorUnsupportedError(
        `no fleet runs in account ${this.place.accountId} in ${this.place.region}: its instances and launch templates are not simulated`,
      );
    return this.fleet;
  }

  /**
   * By ids and/or by owner and the `image-id` filter (what the workflow asks; other filters and
   * wildcards are not simulated). A malformed id is InvalidAMIID.Malformed, an unknown one
   * InvalidAMIID.NotFound: by ids, every id must exist; a filter just matches fewer images.
   * `Owners` keeps the images of the owners it names (`self` is this account); without it every
   * image this account may launch is shown, "regardless of ownership".
   * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeImages.html
   */
  describeImages(input: DescribeImagesCommandInput): Out<DescribeImagesCommandOutput> {
    let images = this.catalog.all().filter((i) => this.visible(i));
    if (input.ImageIds?.length) {
      for (const id of input.ImageIds)
        if (!AMI_ID.test(id))
          throw ec2Error('InvalidAMIID.Malformed', `Invalid id: "${id}" (expecting "ami-...")`);
      const missing = input.ImageIds.filter((id) => !this.visibleId(id));
      if (missing.length)
        throw ec2Error('InvalidAMIID.NotFound', `The image id '[${missing.join(', ')}]' does not exist`);
      images = images.filter((i) => input.ImageIds?.includes(i.imageId));
    }
    if (input.Owners?.length) {
      const self = this.place.accountId;
      const owners = input.Owners.map((o) => (o === 'self' ? self : o));
      for (const owner of owners)
        if (!/^\d{12}$/.test(owner) && !['amazon', 'aws-marketplace', 'aws-backup-vault'].includes(owner))
          throw ec2Error('InvalidUserID.Malformed', `Invalid user id: "${owner}"`);
      // The aliases name owners no simulated image has (their images are another account's).
      images = images.filter((i) => owners.includes(i.ownerId));
    }
    // Filters AND together; a filter's values OR. @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeImages.html
    for (const filter of input.Filters ?? []) {
      const name = filter.Name ?? '';
      const values = filter.Values ?? [];
      if (values.some((v) => /[*?]/.test(v)))
        throw new SimulatorUnsupportedError(`DescribeImages filter ${name} with wildcards is not simulated`);
      if (name === 'image-id') images = images.filter((i) => values.includes(i.imageId));
      else if (name === 'tag-key') images = images.filter((i) => values.some((k) => this.tagsOf(i).has(k)));
      else if (name.startsWith('tag:')) {
        const key = name.slice('tag:'.length);
        images = images.filter(
          (i) => this.tagsOf(i).has(key) && values.includes(this.tagsOf(i).get(key) ?? ''),
        );
      } else
        throw new SimulatorUnsupportedError(
          `DescribeImages filter ${name} is not simulated (image-id, tag-key and tag:<key> are)`,
        );
    }
    return { Images: images.map((i) => this.describeImage(i)) };
  }

  /** Tags on AMIs and on instances. @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateTags.html */
  createTags(input: CreateTagsCommandInput): Out<CreateTagsCommandOutput> {
    const resources = input.Resources ?? [];
    const instanceIds = resources.filter((id) => id.startsWith('i-'));
    const instances = instanceIds.map((id) => this.instance(id));
    const images =
      instanceIds.length === resources.length
        ? []
        : this.taggedImages(resources.filter((id) => !id.startsWith('i-')));
    const tags = input.Tags ?? [];
    if (tags.length === 0) throw ec2Error('MissingParameter', 'The request must contain the parameter Tags');
    for (const tag of tags) {
      const key = tag.Key ?? '';
      if (key.length < 1 || key.length > 128)
        throw ec2Error('InvalidParameterValue', `Tag key must be 1-128 characters, got '${key}'`);
      if (key.toLowerCase().startsWith('aws:'))
        throw ec2Error(
          'InvalidParameterValue',
          `Tag keys starting with 'aws:' are reserved for internal use`,
        );
      if ((tag.Value ?? '').length > 256)
        throw ec2Error('InvalidParameterValue', `Tag value must be at most 256 characters (key ${key})`);
    }
    for (const image of images) {
      const keys = new Set([...this.tagsOf(image).keys(), ...tags.map((t) => t.Key as string)]);
      // @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_Tags.html#tag-restrictions
      if (keys.size > 50)
        throw ec2Error(
          'TagLimitExceeded',
          `The maximum number of tags (50) is exceeded for ${image.imageId}`,
        );
    }
    for (const image of images)
      for (const tag of tags) this.tagsOf(image).set(tag.Key as string, tag.Value ?? '');
    for (const instance of instances) {
      const own = instance.tags ?? new Map<string, string>();
      for (const tag of tags) own.set(tag.Key as string, tag.Value ?? '');
      Object.assign(instance, { tags: own });
    }
    return {};
  }

  /**
   * An instance in a group is terminated as the group would see it (it drains and the group
   * replaces it); one outside every group (detached) simply stops.
   * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_TerminateInstances.html
   */
  terminateInstances(input: TerminateInstancesCommandInput): Out<TerminateInstancesCommandOutput> {
    const instances = (input.InstanceIds ?? []).map((id) => this.instance(id));
    if (instances.length === 0)
      throw ec2Error('MissingParameter', 'The request must contain the parameter InstanceIds');
    const changes = instances.map((i) => {
      const before = this.stateOf(i);
      if (i.state === 'Detaching' || i.state === 'Detached') this.world.terminateDetached(i);
      else if (i.state === 'Pending' || i.state === 'InService') this.world.terminate(i);
      return { InstanceId: i.id, PreviousState: before, CurrentState: this.stateOf(i) };
    });
    return { TerminatingInstances: changes };
  }

  private instance(id: string): Instance {
    if (!INSTANCE_ID.test(id)) throw ec2Error('InvalidInstanceID.Malformed', `Invalid id: "${id}"`);
    const instance = this.world.instances.get(id);
    if (!instance) throw ec2Error('InvalidInstanceID.NotFound', `The instance ID '${id}' does not exist`);
    return instance;
  }

  /** Without Tags every tag goes; a tag with a Value goes only if the value matches. */
  deleteTags(input: DeleteTagsCommandInput): Out<DeleteTagsCommandOutput> {
    const images = this.taggedImages(input.Resources);
    for (const image of images) {
      const own = this.tagsOf(image);
      if (!input.Tags) {
        own.clear();
        continue;
      }
      for (const tag of input.Tags) {
        const key = tag.Key as string;
        if (tag.Value === undefined || own.get(key) === tag.Value) own.delete(key);
      }
    }
    return {};
  }

  /**
   * The account's one launch template, by id or name, with its default and latest version
   * numbers. An unknown id is InvalidLaunchTemplateId.NotFound, an unknown name
   * InvalidLaunchTemplateName.NotFoundException, as for the other launch-template calls.
   * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeLaunchTemplates.html
   */
  describeLaunchTemplates(
    input: DescribeLaunchTemplatesCommandInput,
  ): Out<DescribeLaunchTemplatesCommandOutput> {
    if (input.Filters?.length)
      throw new SimulatorUnsupportedError('DescribeLaunchTemplates Filters are not simulated');
    const ids = input.LaunchTemplateIds ?? [];
    const names = input.LaunchTemplateNames ?? [];
    if (ids.length + names.length !== 1)
      throw new SimulatorUnsupportedError(
        'DescribeLaunchTemplates is simulated for exactly one LaunchTemplateIds or LaunchTemplateNames entry',
      );
    const lt = this.launchTemplate(ids[0], names[0]);
    return {
      LaunchTemplates: [
        {
          LaunchTemplateId: lt.id,
          LaunchTemplateName: lt.name,
          CreateTime: lt.createdAt,
          DefaultVersionNumber: lt.defaultVersion,
          LatestVersionNumber: lt.latestVersion,
        },
      ],
    };
  }

  /**
   * The new version is the source version with LaunchTemplateData's top-level fields replacing
   * its own; its number is the highest + 1. An AMI that is malformed or gone does not fail the
   * call: EC2 answers with a Warning, and launches from that version fail later.
   *
   * SourceVersion is documented as a version and every AWS example passes a number; the
   * `$Default` and `$Latest` aliases are documented for other calls only, so the simulator
   * refuses them rather than vouch for behaviour AWS does not promise.
   * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplateVersion.html
   */
  createLaunchTemplateVersion(
    input: CreateLaunchTemplateVersionCommandInput,
  ): Out<CreateLaunchTemplateVersionCommandOutput> {
    // A repeated ClientToken returns the first answer, unless the request differs.
    // @see https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-idempotency.html
    const token = input.ClientToken;
    if (token !== undefined) {
      if (token.length > 128)
        throw ec2Error('InvalidParameterValue', 'ClientToken must be at most 128 characters');
      const { ClientToken: _token, ...request } = input;
      const earlier = this.clientTokens.get(token);
      if (earlier) {
        if (earlier.request !== JSON.stringify(request))
          throw ec2Error(
            'IdempotentParameterMismatch',
            `The client token ${token} was already used for a different request`,
          );
        return structuredClone(earlier.output);
      }
      const output = this.newLaunchTemplateVersion(input);
      this.clientTokens.set(token, { request: JSON.stringify(request), output: structuredClone(output) });
      return output;
    }
    return this.newLaunchTemplateVersion(input);
  }

  private newLaunchTemplateVersion(
    input: CreateLaunchTemplateVersionCommandInput,
  ): Out<CreateLaunchTemplateVersionCommandOutput> {
    const lt = this.launchTemplate(input.LaunchTemplateId, input.LaunchTemplateName);
    if (!input.LaunchTemplateData)
      throw ec2Error('MissingParameter', 'The request must contain the parameter LaunchTemplateData');
    if ((input.VersionDescription ?? '').length > 255)
      throw ec2Error('InvalidParameterValue', 'VersionDescription must be at most 255 characters');
    let base: Record<string, unknown> = {};
    if (input.SourceVersion !== undefined) {
      if (input.SourceVersion.startsWith('$'))
        throw new SimulatorUnsupportedError(
          `CreateLaunchTemplateVersion SourceVersion ${input.SourceVersion} is not simulated: the API reference documents a version number; resolve it first (DescribeLaunchTemplates DefaultVersionNumber)`,
        );
      const number = this.world.resolveVersion(input.SourceVersion);
      const source = number === undefined ? undefined : lt.versions.get(number);
      if (!source)
        throw ec2Error(
          'InvalidLaunchTemplateId.VersionNotFound',
          `Could not find launch template version ${input.SourceVersion} for launch template ${lt.id}`,
        );
      base = structuredClone(source.data);
    }
    // @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/launch-template-restrictions.html (10,000 versions)
    if (lt.versions.size >= 10_000)
      throw ec2Error('VersionLimitExceeded', `Launch template ${lt.id} already has 10000 versions`);
    const data = { ...base, ...(structuredClone(input.LaunchTemplateData) as Record<string, unknown>) };
    const number = lt.latestVersion + 1;
    const record: LaunchTemplateVersionRecord = {
      number,
      data,
      createdAt: this.world.now(),
      ...(input.VersionDescription !== undefined ? { description: input.VersionDescription } : {}),
    };
    lt.versions.set(number, record);
    lt.latestVersion = number;
    const imageId = typeof data.ImageId === 'string' ? data.ImageId : undefined;
    const warning =
      imageId === undefined
        ? undefined
        : !AMI_ID.test(imageId)
          ? { Code: 'InvalidAMIID.Malformed', Message: `Invalid id: "${imageId}"` }
          : !this.visibleId(imageId)
            ? { Code: 'InvalidAMIID.NotFound', Message: `The image id '[${imageId}]' does not exist` }
            : undefined;
    return {
      LaunchTemplateVersion: this.describeVersion(record),
      ...(warning ? { Warning: { Errors: [warning] } } : {}),
    };
  }

  /** Terminated instances stay visible, as in EC2. @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstances.html */
  describeInstances(input: DescribeInstancesCommandInput): Out<DescribeInstancesCommandOutput> {
    if (input.Filters?.length)
      throw new SimulatorUnsupportedError('DescribeInstances Filters are not simulated');
    let instances = [...this.world.instances.values()];
    if (input.InstanceIds?.length) {
      for (const id of input.InstanceIds)
        if (!INSTANCE_ID.test(id)) throw ec2Error('InvalidInstanceID.Malformed', `Invalid id: "${id}"`);
      const missing = input.InstanceIds.filter((id) => !this.world.instances.has(id));
      if (missing.length)
        throw ec2Error('InvalidInstanceID.NotFound', `The instance IDs '${missing.join(', ')}' do not exist`);
      instances = input.InstanceIds.map((id) => this.world.instances.get(id) as Instance);
    }
    return {
      Reservations: instances.map((i) => ({
        ReservationId: `r-${i.id.slice(2)}`,
        OwnerId: this.world.spec.accountId,
        Instances: [this.describeInstance(i)],
      })),
    };
  }

  /** @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_InstanceState.html */
  private stateOf(i: Instance) {
    return i.state === 'Pending'
      ? { Code: 0, Name: 'pending' as const }
      : i.state === 'Terminated'
        ? { Code: 48, Name: 'terminated' as const }
        : { Code: 16, Name: 'running' as const };
  }

  private describeInstance(i: Instance) {
    const state = this.stateOf(i);
    return {
      InstanceId: i.id,
      ImageId: i.imageId,
      InstanceType: 't3.micro' as const,
      LaunchTime: this.world.dateAt(i.launchedAt),
      State: state,
      Placement: { AvailabilityZone: i.availabilityZone },
      ...(i.launchError ? { StateReason: { Code: 'Client.InternalError', Message: i.launchError } } : {}),
      Tags: [
        { Key: 'aws:autoscaling:groupName', Value: i.group.name },
        ...[...(i.tags ?? [])].map(([Key, Value]) => ({ Key, Value })),
      ],
    };
  }

  private describeImage(i: CatalogImage) {
    return {
      ImageId: i.imageId,
      Name: i.name,
      State: 'available' as const,
      CreationDate: i.creationDate.toISOString(),
      OwnerId: i.ownerId,
      Public: i.public,
      Architecture: 'x86_64' as const,
      ImageType: 'machine' as const,
      RootDeviceType: 'ebs' as const,
      VirtualizationType: 'hvm' as const,
      Tags: [...this.tagsOf(i)].map(([Key, Value]) => ({ Key, Value })),
    };
  }

  /** The region's images, as EC2 keeps them for every account. */
  private get catalog() {
    return this.place.catalog;
  }

  /** An image this account may see and launch (its own, public, or shared with it), still registered. */
  private visible(image: CatalogImage): boolean {
    return image.exists && this.catalog.launchableBy(image, this.place.accountId);
  }

  private visibleId(imageId: string): boolean {
    const image = this.catalog.get(imageId);
    return image !== undefined && this.visible(image);
  }

  /** This account's own tags on the image (another account's are invisible to it). */
  private tagsOf(image: CatalogImage): Map<string, string> {
    return this.catalog.tagsOf(image, this.place.accountId);
  }

  private describeVersion(r: LaunchTemplateVersionRecord): LaunchTemplateVersion {
    const lt = this.world.launchTemplate;
    return {
      LaunchTemplateId: lt.id,
      LaunchTemplateName: lt.name,
      VersionNumber: r.number,
      ...(r.description !== undefined ? { VersionDescription: r.description } : {}),
      CreateTime: r.createdAt,
      DefaultVersion: r.number === lt.defaultVersion,
      LaunchTemplateData: structuredClone(r.data),
    };
  }

  private launchTemplate(id: string | undefined, name: string | undefined) {
    const lt = this.world.launchTemplate;
    if (id !== undefined && name !== undefined)
      throw ec2Error(
        'InvalidParameterCombination',
        'Specify either LaunchTemplateId or LaunchTemplateName, not both',
      );
    if (id === undefined && name === undefined)
      throw ec2Error(
        'MissingParameter',
        'The request must contain the parameter LaunchTemplateId or LaunchTemplateName',
      );
    if (id !== undefined) {
      if (!LAUNCH_TEMPLATE_ID.test(id))
        throw ec2Error(
          'InvalidLaunchTemplateId.Malformed',
          `The specified ID for the launch template (${id}) is not valid`,
        );
      if (id !== lt.id)
        throw ec2Error(
          'InvalidLaunchTemplateId.NotFound',
          `The specified launch template, with template ID ${id}, does not exist.`,
        );
    } else if (name !== lt.name) {
      throw ec2Error(
        'InvalidLaunchTemplateName.NotFoundException',
        `The specified launch template, with template name ${name}, does not exist.`,
      );
    }
    return lt;
  }

  private taggedImages(resources: string[] | undefined): CatalogImage[] {
    if (!resources?.length)
      throw ec2Error('MissingParameter', 'The request must contain the parameter Resources');
    return resources.map((id) => {
      if (!id.startsWith('ami-'))
        throw new SimulatorUnsupportedError(`Tagging ${id} is not simulated (only AMIs are tagged)`);
      if (!AMI_ID.test(id))
        throw ec2Error('InvalidAMIID.Malformed', `Invalid id: "${id}" (expecting "ami-...")`);
      const image = this.catalog.get(id);
      if (!image || !this.visible(image))
        throw ec2Error('InvalidAMIID.NotFound', `The image id '[${id}]' does not exist`);
      return image;
    });
  }
}
