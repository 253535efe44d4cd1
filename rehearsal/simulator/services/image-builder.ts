import type {
  GetImageCommandInput,
  GetImageCommandOutput,
  ListImageScanFindingAggregationsCommandInput,
  ListImageScanFindingAggregationsCommandOutput,
} from '@aws-sdk/client-imagebuilder';
import { awsError, SimulatorUnsupportedError } from '../errors';
import type { Place } from '../place';

type Out<T> = Omit<T, '$metadata'>;

/**
 * @see https://docs.aws.amazon.com/imagebuilder/latest/APIReference/API_GetImage.html
 * (imageBuildVersionArn pattern: `arn:aws[^:]*:imagebuilder:[^:]+:(?:[0-9]{12}|aws):image/[a-z0-9-_]+/[0-9]+\.[0-9]+\.[0-9]+/[0-9]+`)
 */
const BUILD_VERSION_ARN =
  /^arn:aws[^:]*:imagebuilder:[^:]+:(?:[0-9]{12}|aws):image\/[a-z0-9-_]+\/[0-9]+\.[0-9]+\.[0-9]+\/[0-9]+$/;

const REQUEST_ID = '00000000-0000-4000-8000-000000000000';

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

/** What a build's vulnerability scan found, by severity (Inspector's counts). */
export interface ScanFindings {
  readonly critical: number;
  readonly high: number;
  readonly medium: number;
  readonly low: number;
}

/** A build beyond its AMI and status: the pipeline that built it, and its scan (none: not scanned). */
export interface BuildDetails {
  readonly pipelineArn?: string;
  readonly findings?: ScanFindings;
}

interface Build extends BuildDetails {
  readonly amiId: string;
  readonly status: ImageBuildStatus;
}

/** Image Builder GetImage and scan findings over the image build versions the runner registers. */
export class ImageBuilderService {
  readonly builds = new Map<string, Build>();

  constructor(private readonly place: Pick<Place, 'now'>) {}

  register(arn: string, amiId: string, status: ImageBuildStatus, details: BuildDetails = {}): void {
    if (!BUILD_VERSION_ARN.test(arn))
      throw new Error(`registerImageBuildVersion: not an image build version ARN: ${arn}`);
    this.builds.set(arn, { amiId, status, ...details });
  }

  /**
   * The scan's counts of one build version (the filter Image Builder documents for it):
   * `all` counts every finding, and there is no separate count of low ones.
   * @see https://docs.aws.amazon.com/imagebuilder/latest/APIReference/API_ListImageScanFindingAggregations.html
   */
  listImageScanFindingAggregations(
    input: ListImageScanFindingAggregationsCommandInput,
  ): Out<ListImageScanFindingAggregationsCommandOutput> {
    const filter = input.filter;
    if (!filter || filter.name !== 'imageBuildVersionArn' || filter.values?.length !== 1)
      throw new SimulatorUnsupportedError(
        'ListImageScanFindingAggregations is simulated for one imageBuildVersionArn filter only',
      );
    const arn = filter.values[0] ?? '';
    const findings = this.builds.get(arn)?.findings;
    if (!findings) return { requestId: REQUEST_ID, aggregationType: 'imageBuildVersion', responses: [] };
    const { critical, high, medium, low } = findings;
    return {
      requestId: REQUEST_ID,
      aggregationType: 'imageBuildVersion',
      responses: [
        {
          imageAggregation: {
            imageBuildVersionArn: arn,
            severityCounts: { all: critical + high + medium + low, critical, high, medium },
          },
        },
      ],
    };
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
      requestId: REQUEST_ID,
      image: {
        arn,
        name,
        version,
        type: 'AMI',
        platform: 'Linux',
        state: { status: build.status },
        dateCreated: this.place.now().toISOString(),
        outputResources: { amis },
        ...(build.pipelineArn ? { sourcePipelineArn: build.pipelineArn } : {}),
        ...(build.findings ? { scanState: { status: 'COMPLETED' } } : {}),
      },
    };
  }
}
