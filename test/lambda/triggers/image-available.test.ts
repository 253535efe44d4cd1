import {
  GetImageCommand,
  ImagebuilderClient,
  ListImageScanFindingAggregationsCommand,
} from '@aws-sdk/client-imagebuilder';
import type { SeverityCounts } from '@aws-sdk/client-imagebuilder';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { onImageAvailable } from '../../../lambda/triggers/image-available';
import type { Severity } from '../../../lambda/shared/severities';
import { validateRequest } from '../../../lambda/planning/validate-request';
import { IMAGE_ARN, imageStateChange } from './events';
import { inputsOf } from '../sdk-mocks';

const imagebuilder = mockClient(ImagebuilderClient);
const sfn = mockClient(SFNClient);
const ROLLOUT = 'arn:aws:states:us-west-2:111122223333:stateMachine:immutable-dev-rollout';
const AMI = 'ami-0123456789abcdef0';

const deps = (failOnSeverity: Severity = 'HIGH', region = 'us-west-2') => ({
  imagebuilder: new ImagebuilderClient({}),
  sfn: new SFNClient({}),
  stateMachineArn: ROLLOUT,
  region,
  failOnSeverity,
});
function baked(
  amis = [
    { region: 'us-east-1', image: 'ami-0eeeeeeeeeeeeeeee', accountId: '111122223333' },
    { region: 'us-west-2', image: AMI, accountId: '111122223333' },
  ],
) {
  imagebuilder.on(GetImageCommand).resolves({
    image: { arn: IMAGE_ARN, state: { status: 'AVAILABLE' }, outputResources: { amis } },
  });
}
function scanned(severityCounts?: SeverityCounts) {
  imagebuilder.on(ListImageScanFindingAggregationsCommand).resolves({
    aggregationType: 'imageBuildVersionArn',
    responses: severityCounts
      ? [{ imageAggregation: { imageBuildVersionArn: IMAGE_ARN, severityCounts } }]
      : [],
  });
}

beforeEach(() => {
  imagebuilder.reset();
  sfn.reset();
  sfn.on(StartExecutionCommand).resolves({
    executionArn: `${ROLLOUT.replace(':stateMachine:', ':execution:')}:image-x`,
    startDate: new Date(),
  });
});

describe('onImageAvailable with the documented event', () => {
  it('resolves the image ARN from resources[0] and starts a canary of its AMI in this region', async () => {
    baked();
    scanned({ all: 0, critical: 0, high: 0, medium: 0 });
    const r = await onImageAvailable(imageStateChange(), deps());
    expect(r).toEqual({
      started: true,
      imageId: AMI,
      executionArn: 'arn:aws:states:us-west-2:111122223333:execution:immutable-dev-rollout:image-x',
    });
    expect(inputsOf(imagebuilder, GetImageCommand)).toEqual([{ imageBuildVersionArn: IMAGE_ARN }]);
  });

  it('starts the execution with a valid canary input, named after the event id', async () => {
    baked();
    scanned({ all: 0, critical: 0, high: 0, medium: 0 });
    await onImageAvailable(imageStateChange(), deps());
    const [start] = inputsOf(sfn, StartExecutionCommand);
    expect(start).toEqual({
      stateMachineArn: ROLLOUT,
      name: 'image-a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
      input: JSON.stringify({
        action: 'canary',
        imageId: AMI,
        trigger: 'image-builder',
        reason: `image ${IMAGE_ARN} is available`,
      }),
    });
    // what it starts passes the workflow's own validation
    expect(validateRequest(JSON.parse(start?.input ?? '{}'))).toMatchObject({
      action: 'canary',
      imageId: AMI,
    });
  });

  it('uses the same execution name for a duplicate delivery, so Step Functions starts it once', async () => {
    baked();
    scanned({ all: 0 });
    await onImageAvailable(imageStateChange(), deps());
    await onImageAvailable(imageStateChange(), deps());
    const names = inputsOf(sfn, StartExecutionCommand).map((i) => i.name);
    expect(names).toHaveLength(2);
    expect(new Set(names).size).toBe(1);
  });

  it('keeps execution names within what Step Functions accepts', async () => {
    baked();
    scanned({ all: 0 });
    await onImageAvailable({ ...imageStateChange(), id: `odd id/with:chars ${'x'.repeat(100)}` }, deps());
    expect(inputsOf(sfn, StartExecutionCommand)[0]?.name).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
  });
});

describe('onImageAvailable ignores what it should not roll out', () => {
  it.each(['BUILDING', 'TESTING', 'DISTRIBUTING', 'INTEGRATING', 'FAILED', 'CANCELLED'])(
    'ignores an image that became %s, without calling AWS',
    async (status) => {
      expect(await onImageAvailable(imageStateChange(status, 'BUILDING'), deps())).toEqual({
        started: false,
        reason: `image is ${status}`,
      });
      expect(imagebuilder.calls()).toHaveLength(0);
      expect(sfn.calls()).toHaveLength(0);
    },
  );

  it('refuses an image with no AMI in this region', async () => {
    baked([{ region: 'us-east-1', image: 'ami-0eeeeeeeeeeeeeeee', accountId: '111122223333' }]);
    expect(await onImageAvailable(imageStateChange(), deps())).toEqual({
      started: false,
      reason: `${IMAGE_ARN} has no AMI in us-west-2`,
    });
    expect(sfn.calls()).toHaveLength(0);
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
    await expect(onImageAvailable({ ...imageStateChange(), ...change }, deps())).rejects.toMatchObject({
      name: '$ZodError',
    });
    expect(sfn.calls()).toHaveLength(0);
  });
});

describe('onImageAvailable scan gate', () => {
  it('asks for the findings of exactly this image build', async () => {
    baked();
    scanned({ all: 0 });
    await onImageAvailable(imageStateChange(), deps());
    expect(inputsOf(imagebuilder, ListImageScanFindingAggregationsCommand)).toEqual([
      { filter: { name: 'imageBuildVersionArn', values: [IMAGE_ARN] } },
    ]);
  });

  it.each([
    // gate, counts, blocking findings
    ['CRITICAL', { all: 9, critical: 0, high: 3, medium: 4 }, 0],
    ['CRITICAL', { all: 9, critical: 2, high: 3, medium: 4 }, 2],
    ['HIGH', { all: 9, critical: 2, high: 3, medium: 4 }, 5],
    ['HIGH', { all: 4, critical: 0, high: 0, medium: 4 }, 0],
    ['MEDIUM', { all: 9, critical: 2, high: 3, medium: 4 }, 9],
    ['LOW', { all: 12, critical: 2, high: 3, medium: 4 }, 12], // three LOW: all minus the rest
    ['MEDIUM', { all: 12, critical: 2, high: 3, medium: 4 }, 9],
  ] as Array<[Severity, SeverityCounts, number]>)(
    'with the gate at %s, counts %j as %i blocking findings',
    async (gate, counts, blocking) => {
      baked();
      scanned(counts);
      const r = await onImageAvailable(imageStateChange(), deps(gate));
      if (blocking === 0) {
        expect(r.started).toBe(true);
      } else {
        expect(r).toEqual({
          started: false,
          reason: `${IMAGE_ARN} (${AMI}) has ${blocking} findings at or above ${gate}; not rolled out`,
        });
        expect(sfn.calls()).toHaveLength(0);
      }
    },
  );

  it('lets an image through when the scan reports no aggregation', async () => {
    baked();
    scanned(undefined);
    expect((await onImageAvailable(imageStateChange(), deps('LOW'))).started).toBe(true);
  });
});

describe('onImageAvailable errors', () => {
  it('propagates an Image Builder error by name', async () => {
    imagebuilder
      .on(GetImageCommand)
      .rejects(Object.assign(new Error('gone'), { name: 'ResourceNotFoundException' }));
    await expect(onImageAvailable(imageStateChange(), deps())).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });

  it('propagates a refused start (EventBridge retries the event)', async () => {
    baked();
    scanned({ all: 0 });
    sfn
      .on(StartExecutionCommand)
      .rejects(Object.assign(new Error('limit'), { name: 'ExecutionLimitExceeded' }));
    await expect(onImageAvailable(imageStateChange(), deps())).rejects.toMatchObject({
      name: 'ExecutionLimitExceeded',
    });
  });
});
