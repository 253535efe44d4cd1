import { DescribeImagesCommand, DescribeLaunchTemplatesCommand } from '@aws-sdk/client-ec2';
import type { EC2Client } from '@aws-sdk/client-ec2';
import {
  GetParameterCommand,
  GetParametersCommand,
  ParameterAlreadyExists,
  PutParameterCommand,
} from '@aws-sdk/client-ssm';
import type { PutParameterCommandInput, SSMClient } from '@aws-sdk/client-ssm';
import { AMI_ID_RULE, isAmiId } from '../../lambda/shared/ami';
import { COLOURS } from '../../lambda/shared/colours';
import { fleetLaunchTemplateName, runtimeParameters } from '../../lambda/shared/names';
import type { EnvironmentName } from '../../lambda/shared/environments';

/** The public parameter that always names the current Amazon Linux 2023 AMI of a region. */
export const DEFAULT_IMAGE_PARAMETER =
  '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64';

/** Listener weights of a new environment: all traffic to blue (which has no instances yet). */
export const INITIAL_WEIGHTS = '100,0';

/** CloudFormation creates a launch template at version 1; both groups start there. */
export const INITIAL_LAUNCH_TEMPLATE_VERSION = '1';

const VERSION_NUMBER = /^[1-9]\d*$/;

/**
 * A listener weight is 0-999, and a forward action needs one target group with a weight above 0.
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html#forward-actions
 */
const MAX_WEIGHT = 999;

export interface SeedClients {
  readonly ssm: SSMClient;
  readonly ec2: EC2Client;
}

export interface SeedOptions {
  readonly environment: EnvironmentName;
  /** AMI the launch template uses when the released image is (re)written. @default the current Amazon Linux 2023 AMI */
  readonly image?: string;
  /**
   * Overwrite all four parameters with a new environment's values, valid or not: for an
   * environment re-created from nothing. Refused while the fleet's launch template exists.
   */
  readonly reset?: boolean;
}

/** A parameter the seed overwrote, with what it held and why. */
export interface Rewritten {
  readonly name: string;
  readonly from: string;
  readonly to: string;
  readonly reason: string;
}

export interface SeedResult {
  /** Parameters this run created. */
  readonly created: string[];
  /** Parameters that already existed, matched the live launch template, and were left as they are. */
  readonly kept: string[];
  /** Parameters that no longer matched what a deploy will find, rewritten (or all four with `reset`). */
  readonly rewritten: Rewritten[];
  /** The fleet's launch template as EC2 describes it now, if the environment is deployed. */
  readonly launchTemplate?: LiveLaunchTemplate;
  /** The AMI written to the released-image parameter, when this run wrote it. */
  readonly image?: string;
}

/** What the seed reads of the fleet's launch template. */
export interface LiveLaunchTemplate {
  readonly name: string;
  readonly defaultVersion: number;
  readonly latestVersion: number;
}

/** Raised when the seed cannot start, e.g. an image that is not an available AMI. */
export class SeedError extends Error {
  override readonly name = 'SeedError';
}

type Kind = 'image' | 'weights' | 'version';

interface Wanted {
  readonly kind: Kind;
  readonly input: PutParameterCommandInput & { Name: string; Value: string };
}

/**
 * Make the runtime-state parameters an environment's `cdk deploy` resolves exist and match what
 * the deploy will find. A missing parameter is created. An existing one holds runtime state the
 * workflow owns and is kept, unless it can no longer be right: a launch-template version the
 * fleet's template does not have (after a teardown the groups' parameters still name versions of
 * the deleted template, which the re-created one, starting at 1, lacks), a released image that is
 * no longer available, or weights the listener refuses. Those are rewritten, and the result says
 * which, from what, to what and why. `reset` rewrites all four, for an environment re-created from
 * nothing.
 */
export async function seedRuntimeParameters(clients: SeedClients, options: SeedOptions): Promise<SeedResult> {
  if (options.image !== undefined && !isAmiId(options.image)) {
    throw new SeedError(`--image ${AMI_ID_RULE}, got ${JSON.stringify(options.image)}`);
  }
  const env = options.environment;
  const names = runtimeParameters(env);
  const launchTemplate = await liveLaunchTemplate(clients.ec2, fleetLaunchTemplateName(env));
  if (options.reset && launchTemplate) {
    throw new SeedError(
      `--reset refused: ${env} is deployed (launch template ${launchTemplate.name} exists) and a reset would ` +
        'move its groups and released image. Start {"action":"restore"} to re-publish the parameters from the ' +
        'ledger; reset only an environment that was torn down.',
    );
  }
  // Versions the next deploy can use: the template's own, or 1 for the template it will create.
  const versionFor = String(launchTemplate?.defaultVersion ?? INITIAL_LAUNCH_TEMPLATE_VERSION);
  const current = await readParameters(clients.ssm, [
    names.releasedImage,
    names.listenerWeights,
    ...COLOURS.map((c) => names.launchTemplateVersion(c)),
  ]);

  // A given image is checked before anything is written, whether or not it ends up used.
  let image = options.image === undefined ? undefined : await chooseImage(clients, options.image);
  const freshImage = async () => (image ??= await chooseImage(clients, undefined));
  const owned = `Runtime state of ${env}, owned by the rollout workflow (seeded).`;
  const wanted = async (kind: Kind, name: string): Promise<Wanted> => {
    switch (kind) {
      case 'image':
        return {
          kind,
          input: {
            Name: name,
            Type: 'String',
            // SSM checks the value is an AMI id of this account and region before accepting it.
            DataType: 'aws:ec2:image',
            Value: await freshImage(),
            Description: `${owned} The released AMI.`,
          },
        };
      case 'weights':
        return {
          kind,
          input: {
            Name: name,
            Type: 'StringList',
            Value: INITIAL_WEIGHTS,
            Description: `${owned} Listener weights "<blue>,<green>".`,
          },
        };
      case 'version':
        return {
          kind,
          input: {
            Name: name,
            Type: 'String',
            Value: versionFor,
            Description: `${owned} Launch-template version of a fleet group.`,
          },
        };
    }
  };
  const parameters: Array<[Kind, string]> = [
    ['image', names.releasedImage],
    ['weights', names.listenerWeights],
    ...COLOURS.map((c): [Kind, string] => ['version', names.launchTemplateVersion(c)]),
  ];

  const result = { created: [] as string[], kept: [] as string[], rewritten: [] as Rewritten[] };
  for (const [kind, name] of parameters) {
    const value = current.get(name);
    if (value === undefined) {
      const { input } = await wanted(kind, name);
      try {
        // No Overwrite: PutParameter then refuses to replace a value someone wrote meanwhile.
        // @see https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html
        await clients.ssm.send(new PutParameterCommand({ ...input, Overwrite: false }));
        result.created.push(name);
      } catch (error) {
        if (!(error instanceof ParameterAlreadyExists)) throw error;
        result.kept.push(name);
      }
      continue;
    }
    const stale = options.reset
      ? 'reset requested'
      : await staleness(kind, value, { clients, launchTemplate });
    if (stale === undefined) {
      result.kept.push(name);
      continue;
    }
    const { input } = await wanted(kind, name);
    // Overwrite without tags: PutParameter refuses the two together.
    await clients.ssm.send(new PutParameterCommand({ ...input, Overwrite: true }));
    result.rewritten.push({ name, from: value, to: input.Value, reason: stale });
  }
  const written = [...result.created, ...result.rewritten.map((r) => r.name)].includes(names.releasedImage);
  return {
    ...result,
    ...(launchTemplate ? { launchTemplate } : {}),
    ...(written && image !== undefined ? { image } : {}),
  };
}

/** Why `value` can no longer be right for the next deploy, or undefined when it can. */
async function staleness(
  kind: Kind,
  value: string,
  at: { clients: SeedClients; launchTemplate?: LiveLaunchTemplate },
): Promise<string | undefined> {
  switch (kind) {
    case 'version': {
      const lt = at.launchTemplate;
      if (!VERSION_NUMBER.test(value)) return `"${value}" is not a launch-template version number`;
      if (!lt) {
        return value === INITIAL_LAUNCH_TEMPLATE_VERSION
          ? undefined
          : `the launch template does not exist, and the one the next deploy creates starts at version ${INITIAL_LAUNCH_TEMPLATE_VERSION}`;
      }
      return Number(value) <= lt.latestVersion
        ? undefined
        : `launch template ${lt.name} has versions up to ${lt.latestVersion}, not ${value}`;
    }
    case 'weights': {
      const weights = value.split(',').map((w) => w.trim());
      const valid =
        weights.length === 2 &&
        weights.every((w) => /^\d{1,3}$/.test(w) && Number(w) <= MAX_WEIGHT) &&
        weights.some((w) => Number(w) > 0);
      return valid ? undefined : `"${value}" is not two listener weights 0-${MAX_WEIGHT}, one above 0`;
    }
    case 'image': {
      const state = await imageState(at.clients.ec2, value);
      return state === 'available' ? undefined : `image ${value} is ${state ?? 'gone'}`;
    }
  }
}

/** The fleet's launch template by name, or undefined when it does not exist (not deployed, or torn down). */
async function liveLaunchTemplate(ec2: EC2Client, name: string): Promise<LiveLaunchTemplate | undefined> {
  try {
    const out = await ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: [name] }));
    const lt = out.LaunchTemplates?.[0];
    if (!lt) return undefined;
    return {
      name,
      defaultVersion: lt.DefaultVersionNumber ?? 1,
      latestVersion: lt.LatestVersionNumber ?? lt.DefaultVersionNumber ?? 1,
    };
  } catch (error) {
    // @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
    if (error instanceof Error && error.name.startsWith('InvalidLaunchTemplateName.')) return undefined;
    throw error;
  }
}

/** The values of the parameters that exist, by name (GetParameters lists the others as invalid). */
async function readParameters(ssm: SSMClient, names: string[]): Promise<ReadonlyMap<string, string>> {
  const out = await ssm.send(new GetParametersCommand({ Names: names }));
  return new Map(
    (out.Parameters ?? []).flatMap((p) => (p.Name && p.Value !== undefined ? [[p.Name, p.Value]] : [])),
  );
}

async function imageState(ec2: EC2Client, imageId: string): Promise<string | undefined> {
  if (!isAmiId(imageId)) return 'not an AMI id';
  try {
    const { Images = [] } = await ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] }));
    return Images[0]?.State;
  } catch (error) {
    // An id EC2 does not know is an error, not an empty list.
    // @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
    if (error instanceof Error && error.name.startsWith('InvalidAMIID.')) return undefined;
    throw error;
  }
}

async function chooseImage(clients: SeedClients, requested: string | undefined): Promise<string> {
  if (requested === undefined) {
    const found = await clients.ssm.send(new GetParameterCommand({ Name: DEFAULT_IMAGE_PARAMETER }));
    const value = found.Parameter?.Value;
    if (!isAmiId(value)) {
      throw new SeedError(`${DEFAULT_IMAGE_PARAMETER} did not hold an AMI id, got ${JSON.stringify(value)}`);
    }
    return value;
  }
  const state = await imageState(clients.ec2, requested);
  if (state !== 'available') {
    throw new SeedError(
      `--image ${requested} must be an available AMI in this region, got ${state ?? 'no such image'}`,
    );
  }
  return requested;
}
