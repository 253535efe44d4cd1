import type { GetImageCommandInput, GetImageCommandOutput } from '@aws-sdk/client-imagebuilder';
import { awsError } from '../errors';
import type { World } from '../world';

type Out<T> = Omit<T, '$metadata'>;

/**
 * @see https://docs.aws.amazon.com/imagebuilder/latest/APIReference/API_GetImage.html
 * (imageBuildVersionArn pattern: `arn:aws[^:]*:imagebuilder:[^:]+:(?:[0-9]{12}|aws):image/[a-z0-9-_]+/[0-9]+\.[0-9]+\.[0-9]+/[0-9]+`)
 */
const BUILD_VERSION_ARN =
  /^arn:aws[^:]*:imagebuilder:[^:]+:(?:[0-9]{12}|aws):image\/[a-z0-9-_]+\/[0-9]+\.[0-9]+\.[0-9]+\/[0-9]+$/;

export type ImageBuildStatus =
  | 'PENDING'
  | 'CREATING'
  | 'BUILDING'
  | 'TESTING'
  | 'DISTRIBUTING'
  | 'INTEGRATING'
  | 'AVAILABLE'
  | 'CANCELLED'
  | 'FAILED'
  | 'DEPRECATED'
  | 'DELETED'
  | 'DISABLED';

/** Image Builder GetImage over the image build versions the runner registers. */
export class ImageBuilderService {
  readonly builds = new Map<string, { amiId: string; status: ImageBuildStatus }>();

  constructor(private readonly world: World) {}

  register(arn: string, amiId: string, status: ImageBuildStatus): void {
    if (!BUILD_VERSION_ARN.test(arn))
      throw new Error(`registerImageBuildVersion: not an image build version ARN: ${arn}`);
    this.builds.set(arn, { amiId, status });
  }

  getImage(input: GetImageCommandInput): Out<GetImageCommandOutput> {
    const arn = input.imageBuildVersionArn;
    if (!arn || !BUILD_VERSION_ARN.test(arn))
      throw awsError(
        'imageBuilder',
        'InvalidParameterValueException',
        `The value supplied for parameter 'imageBuildVersionArn' is not valid: ${arn}`,
      );
    const build = this.builds.get(arn);
    if (!build)
      throw awsError('imageBuilder', 'ResourceNotFoundException', `The resource ${arn} does not exist.`);
    const [, , , region, account, resource] = arn.split(':');
    const [, name, version] = (resource as string).split('/');
    const amis =
      build.status === 'AVAILABLE' || build.status === 'DEPRECATED'
        ? [
            {
              region,
              image: build.amiId,
              name: `${name}-${version}`,
              accountId: account,
              state: { status: build.status },
            },
          ]
        : [];
    return {
      requestId: '00000000-0000-4000-8000-000000000000',
      image: {
        arn,
        name,
        version,
        type: 'AMI',
        platform: 'Linux',
        state: { status: build.status },
        dateCreated: this.world.now().toISOString(),
        outputResources: { amis },
      },
    };
  }
}
