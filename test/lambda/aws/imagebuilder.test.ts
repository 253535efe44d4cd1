import {
  GetImageCommand,
  ImagebuilderClient,
  ListImageScanFindingAggregationsCommand,
} from '@aws-sdk/client-imagebuilder';
import type { SeverityCounts } from '@aws-sdk/client-imagebuilder';
import { mockClient } from 'aws-sdk-client-mock';
import { ImageBuilderApi } from '../../../lambda/aws/imagebuilder';
import type { Severity } from '../../../lambda/shared/severities';
import { IMAGE_ARN } from '../triggers/events';
import { inputsOf } from '../sdk-mocks';

const imagebuilder = mockClient(ImagebuilderClient);
const api = () => new ImageBuilderApi(new ImagebuilderClient({}));

beforeEach(() => imagebuilder.reset());

describe('ImageBuilderApi.image', () => {
  const PIPELINE = 'arn:aws:imagebuilder:us-west-2:111122223333:image-pipeline/immutable-web';

  it("reads an image build version's pipeline, AMIs by region and scan state", async () => {
    imagebuilder.on(GetImageCommand).resolves({
      image: {
        arn: IMAGE_ARN,
        state: { status: 'AVAILABLE' },
        sourcePipelineArn: PIPELINE,
        scanState: { status: 'COMPLETED' },
        outputResources: {
          amis: [
            { region: 'us-east-1', image: 'ami-0eeeeeeeeeeeeeeee', accountId: '111122223333' },
            { region: 'us-west-2', image: 'ami-0123456789abcdef0', accountId: '111122223333' },
          ],
        },
      },
    });
    expect(await api().image(IMAGE_ARN)).toEqual({
      pipelineArn: PIPELINE,
      amis: [
        { region: 'us-east-1', imageId: 'ami-0eeeeeeeeeeeeeeee' },
        { region: 'us-west-2', imageId: 'ami-0123456789abcdef0' },
      ],
      scanStatus: 'COMPLETED',
    });
    expect(inputsOf(imagebuilder, GetImageCommand)).toEqual([{ imageBuildVersionArn: IMAGE_ARN }]);
  });

  it('propagates an Image Builder error by name', async () => {
    imagebuilder
      .on(GetImageCommand)
      .rejects(Object.assign(new Error('gone'), { name: 'ResourceNotFoundException' }));
    await expect(api().image(IMAGE_ARN)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('leaves out what Image Builder does not report (an image built outside a pipeline, not scanned)', async () => {
    imagebuilder.on(GetImageCommand).resolves({ image: { arn: IMAGE_ARN } });
    expect(await api().image(IMAGE_ARN)).toEqual({ amis: [] });
  });
});

describe('ImageBuilderApi.findings', () => {
  const scanned = (severityCounts?: SeverityCounts) =>
    imagebuilder.on(ListImageScanFindingAggregationsCommand).resolves({
      aggregationType: 'imageBuildVersionArn',
      responses: severityCounts
        ? [{ imageAggregation: { imageBuildVersionArn: IMAGE_ARN, severityCounts } }]
        : [],
    });

  it('asks for the findings of exactly this image build', async () => {
    scanned({ all: 0 });
    await api().findings(IMAGE_ARN);
    expect(inputsOf(imagebuilder, ListImageScanFindingAggregationsCommand)).toEqual([
      { filter: { name: 'imageBuildVersionArn', values: [IMAGE_ARN] } },
    ]);
  });

  it.each([
    [
      { all: 9, critical: 0, high: 3, medium: 4 },
      { LOW: 2, MEDIUM: 4, HIGH: 3, CRITICAL: 0 },
    ],
    [
      { all: 9, critical: 2, high: 3, medium: 4 },
      { LOW: 0, MEDIUM: 4, HIGH: 3, CRITICAL: 2 },
    ],
    [
      { all: 4, critical: 0, high: 0, medium: 4 },
      { LOW: 0, MEDIUM: 4, HIGH: 0, CRITICAL: 0 },
    ],
    // three LOW: all minus the rest
    [
      { all: 12, critical: 2, high: 3, medium: 4 },
      { LOW: 3, MEDIUM: 4, HIGH: 3, CRITICAL: 2 },
    ],
    [{ all: 0 }, { LOW: 0, MEDIUM: 0, HIGH: 0, CRITICAL: 0 }],
  ] as Array<[SeverityCounts, Record<Severity, number>]>)('counts %j as %j', async (counts, bySeverity) => {
    scanned(counts);
    expect(await api().findings(IMAGE_ARN)).toEqual(bySeverity);
  });

  it('counts no findings when the scan reports no aggregation', async () => {
    scanned(undefined);
    expect(await api().findings(IMAGE_ARN)).toEqual({ LOW: 0, MEDIUM: 0, HIGH: 0, CRITICAL: 0 });
  });
});
