import { announceImage } from '../../../lambda/factory/announce-image';
import type { DistributedAmi } from '../../../lambda/factory/ports';
import { imageAvailableDetailSchema } from '../../../lambda/shared/events';
import type { Severity } from '../../../lambda/shared/severities';
import { FakeImageBuilder, NO_FINDINGS } from '../fakes/image-builder';
import { FakeProductEvents } from '../fakes/product-events';
import { IMAGE_ARN, imageStateChange } from '../triggers/events';

const PIPELINE = 'arn:aws:imagebuilder:us-west-2:111122223333:image-pipeline/immutable-web';
const AMI = 'ami-0123456789abcdef0';
const OTHER_REGION_AMI = 'ami-0eeeeeeeeeeeeeeee';

let imageBuilder: FakeImageBuilder;
let events: FakeProductEvents;

beforeEach(() => {
  imageBuilder = new FakeImageBuilder();
  events = new FakeProductEvents();
});

const deps = () => ({
  imageBuilder,
  events,
  pipelineArn: PIPELINE,
  recipeVersion: '1.0.0',
  sourceRevision: 'abc1234',
});

/** The event's image build, made by `pipeline`, distributed to these regions, with this scan. */
function baked(
  o: {
    findings?: Partial<Record<Severity, number>>;
    amis?: DistributedAmi[];
    scanStatus?: string;
    pipelineArn?: string;
  } = {},
) {
  imageBuilder.builds.set(IMAGE_ARN, {
    pipelineArn: o.pipelineArn ?? PIPELINE,
    amis: o.amis ?? [
      { region: 'us-east-1', imageId: OTHER_REGION_AMI },
      { region: 'us-west-2', imageId: AMI },
    ],
    scanStatus: o.scanStatus ?? 'COMPLETED',
    findings: { ...NO_FINDINGS, ...o.findings },
  });
}

describe('announceImage with the documented event', () => {
  it('announces the image with its AMI in every region and its findings', async () => {
    baked({ findings: { HIGH: 2, LOW: 1 } });
    const r = await announceImage(imageStateChange(), deps());
    const detail = {
      imageArn: IMAGE_ARN,
      pipelineArn: PIPELINE,
      amis: [
        { region: 'us-east-1', imageId: OTHER_REGION_AMI },
        { region: 'us-west-2', imageId: AMI },
      ],
      findings: { scanned: true, critical: 0, high: 2, medium: 0, low: 1 },
      recipeVersion: '1.0.0',
      sourceRevision: 'abc1234',
    };
    expect(r).toEqual({ announced: true, detail });
    expect(events.published).toEqual([{ source: 'immutable.images', detailType: 'Image Available', detail }]);
    // what it announces, the environments accept
    expect(imageAvailableDetailSchema.parse(events.published[0]?.detail)).toEqual(detail);
    expect(imageBuilder.findingReads).toEqual([IMAGE_ARN]);
  });

  it('announces an image whose scan did not complete as not scanned, without reading findings', async () => {
    baked({ scanStatus: 'TIMED_OUT' });
    const r = await announceImage(imageStateChange(), deps());
    expect(r).toMatchObject({
      announced: true,
      detail: { findings: { scanned: false, critical: 0, high: 0 } },
    });
    expect(imageBuilder.findingReads).toEqual([]);
  });

  it('leaves out an AMI Image Builder reports without a region or an id', async () => {
    baked({
      amis: [{ region: 'us-west-2', imageId: AMI }, { region: 'us-east-1' }, { imageId: OTHER_REGION_AMI }],
    });
    expect(await announceImage(imageStateChange(), deps())).toMatchObject({
      detail: { amis: [{ region: 'us-west-2', imageId: AMI }] },
    });
  });
});

describe('announceImage announces only what the factory built', () => {
  it.each(['BUILDING', 'TESTING', 'DISTRIBUTING', 'INTEGRATING', 'FAILED', 'CANCELLED'])(
    'ignores an image that became %s, without calling AWS',
    async (status) => {
      expect(await announceImage(imageStateChange(status, 'BUILDING'), deps())).toEqual({
        announced: false,
        reason: `image is ${status}`,
      });
      expect(events.published).toEqual([]);
    },
  );

  it('refuses an image another pipeline built, even under a matching name (Image Builder decides, not the name)', async () => {
    baked({ pipelineArn: 'arn:aws:imagebuilder:us-west-2:111122223333:image-pipeline/someone-else' });
    expect(await announceImage(imageStateChange(), deps())).toEqual({
      announced: false,
      reason: `${IMAGE_ARN} was built by arn:aws:imagebuilder:us-west-2:111122223333:image-pipeline/someone-else, not ${PIPELINE}`,
    });
    expect(events.published).toEqual([]);
  });

  it('refuses an image that distributed no AMI', async () => {
    baked({ amis: [] });
    expect(await announceImage(imageStateChange(), deps())).toEqual({
      announced: false,
      reason: `${IMAGE_ARN} distributed no AMI`,
    });
  });

  it.each([
    ['another source', { source: 'aws.ec2' }],
    ['another detail type', { 'detail-type': 'EC2 Image Builder CVE Detected' }],
    ['no resources', { resources: [] }],
    [
      'a resource that is not an image',
      { resources: ['arn:aws:imagebuilder:us-west-2:111122223333:image-pipeline/p'] },
    ],
  ])('fails loudly on an event with %s', async (_what, change) => {
    await expect(announceImage({ ...imageStateChange(), ...change }, deps())).rejects.toMatchObject({
      name: 'MalformedEvent',
    });
    expect(events.published).toEqual([]);
  });
});

describe('announceImage errors', () => {
  it('propagates an Image Builder error by name (EventBridge retries, then the dead-letter queue)', async () => {
    imageBuilder.failures.on(
      'image',
      Object.assign(new Error('gone'), { name: 'ResourceNotFoundException' }),
    );
    await expect(announceImage(imageStateChange(), deps())).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });

  it('propagates a refused announcement', async () => {
    baked();
    events.failures.on('publish', Object.assign(new Error('no'), { name: 'ThrottlingException' }));
    await expect(announceImage(imageStateChange(), deps())).rejects.toMatchObject({
      name: 'ThrottlingException',
    });
  });
});
