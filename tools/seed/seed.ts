import { DescribeImagesCommand } from '@aws-sdk/client-ec2';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { GetParameterCommand, ParameterAlreadyExists, PutParameterCommand } from '@aws-sdk/client-ssm';
import type { PutParameterCommandInput, SSMClient } from '@aws-sdk/client-ssm';
import { COLOURS } from '../../lambda/shared/colours';
import { runtimeParameters } from '../../lambda/shared/names';
import type { EnvironmentName } from '../../lambda/shared/environments';

/** The public parameter that always names the current Amazon Linux 2023 AMI of a region. */
export const DEFAULT_IMAGE_PARAMETER =
  '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64';

/** Listener weights of a new environment: all traffic to blue (which has no instances yet). */
export const INITIAL_WEIGHTS = '100,0';

/** CloudFormation creates a launch template at version 1; both groups start there. */
export const INITIAL_LAUNCH_TEMPLATE_VERSION = '1';

const AMI_ID = /^ami-[0-9a-f]{8,17}$/;

export interface SeedClients {
  readonly ssm: SSMClient;
  readonly ec2: EC2Client;
}

export interface SeedOptions {
  readonly environment: EnvironmentName;
  /** AMI the first deploy's launch template uses. @default the current Amazon Linux 2023 AMI */
  readonly image?: string;
}

export interface SeedResult {
  /** Parameters this run created. */
  readonly created: string[];
  /** Parameters that already existed and were left as they are. */
  readonly kept: string[];
  /** The AMI written to the released-image parameter (when it was created). */
  readonly image: string;
}

/** Raised when the seed cannot start, e.g. an image that is not an available AMI. */
export class SeedError extends Error {
  override readonly name = 'SeedError';
}

/**
 * Create the runtime-state parameters an environment's first `cdk deploy` resolves, without
 * ever overwriting one: an existing parameter holds runtime state the workflow owns.
 */
export async function seedRuntimeParameters(clients: SeedClients, options: SeedOptions): Promise<SeedResult> {
  const image = await chooseImage(clients, options.image);
  const names = runtimeParameters(options.environment);
  const owned = `Runtime state of ${options.environment}, owned by the rollout workflow (seeded once).`;
  const wanted: PutParameterCommandInput[] = [
    {
      Name: names.releasedImage,
      Type: 'String',
      // SSM checks the value is an AMI id of this account and region before accepting it.
      DataType: 'aws:ec2:image',
      Value: image,
      Description: `${owned} The released AMI.`,
    },
    {
      Name: names.listenerWeights,
      Type: 'StringList',
      Value: INITIAL_WEIGHTS,
      Description: `${owned} Listener weights "<blue>,<green>".`,
    },
    ...COLOURS.map((colour): PutParameterCommandInput => ({
      Name: names.launchTemplateVersion(colour),
      Type: 'String',
      Value: INITIAL_LAUNCH_TEMPLATE_VERSION,
      Description: `${owned} Launch-template version of the ${colour} group.`,
    })),
  ];

  const created: string[] = [];
  const kept: string[] = [];
  for (const input of wanted) {
    try {
      // No Overwrite: PutParameter then refuses to replace an existing value.
      // @see https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html
      await clients.ssm.send(new PutParameterCommand({ ...input, Overwrite: false }));
      created.push(input.Name!);
    } catch (error) {
      if (!(error instanceof ParameterAlreadyExists)) throw error;
      kept.push(input.Name!);
    }
  }
  return { created, kept, image };
}

async function chooseImage(clients: SeedClients, requested: string | undefined): Promise<string> {
  if (requested === undefined) {
    const found = await clients.ssm.send(new GetParameterCommand({ Name: DEFAULT_IMAGE_PARAMETER }));
    const value = found.Parameter?.Value;
    if (!value || !AMI_ID.test(value)) {
      throw new SeedError(`${DEFAULT_IMAGE_PARAMETER} did not hold an AMI id, got ${JSON.stringify(value)}`);
    }
    return value;
  }
  if (!AMI_ID.test(requested)) {
    throw new SeedError(
      `--image must be an AMI id like ami-0123456789abcdef0, got ${JSON.stringify(requested)}`,
    );
  }
  let state: string | undefined;
  try {
    const { Images = [] } = await clients.ec2.send(new DescribeImagesCommand({ ImageIds: [requested] }));
    state = Images[0]?.State;
  } catch (error) {
    // An id EC2 does not know is an error, not an empty list.
    // @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
    if (!(error instanceof Error && error.name.startsWith('InvalidAMIID.'))) throw error;
  }
  if (state !== 'available') {
    throw new SeedError(
      `--image ${requested} must be an available AMI in this region, got ${state ?? 'no such image'}`,
    );
  }
  return requested;
}
