import { onImageAvailable } from '../../../lambda/triggers/image-available';
import type { Severity } from '../../../lambda/shared/severities';
import type { DistributedAmi } from '../../../lambda/triggers/ports';
import { validateRequest } from '../../../lambda/planning/validate-request';
import { FakeExecutions } from '../fakes/executions';
import { FakeImageBuilder, NO_FINDINGS } from '../fakes/image-builder';
import { IMAGE_ARN, imageStateChange } from './events';

const ROLLOUT = 'arn:aws:states:us-west-2:111122223333:stateMachine:immutable-dev-rollout';
const AMI = 'ami-0123456789abcdef0';

let imageBuilder: FakeImageBuilder;
let executions: FakeExecutions;

beforeEach(() => {
  imageBuilder = new FakeImageBuilder();
  executions = new FakeExecutions(ROLLOUT);
});

const deps = (failOnSeverity: Severity = 'HIGH', region = 'us-west-2') => ({
  imageBuilder,
  executions,
  region,
  failOnSeverity,
});
/** The image build of the event, distributed to these regions, with these findings. */
function baked(
  findings: Partial<Record<Severity, number>> = {},
  amis: DistributedAmi[] = [
    { region: 'us-east-1', imageId: 'ami-0eeeeeeeeeeeeeeee' },
    { region: 'us-west-2', imageId: AMI },
  ],
) {
  imageBuilder.builds.set(IMAGE_ARN, { amis, findings: { ...NO_FINDINGS, ...findings } });
}

describe('onImageAvailable with the documented event', () => {
  it('resolves the image ARN from resources[0] and starts a canary of its AMI in this region', async () => {
    baked();
    const r = await onImageAvailable(imageStateChange(), deps());
    expect(r).toEqual({
      started: true,
      imageId: AMI,
      executionArn:
        'arn:aws:states:us-west-2:111122223333:execution:immutable-dev-rollout:image-a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
    });
  });

  it('starts the execution with a valid canary input, named after the event id', async () => {
    baked();
    await onImageAvailable(imageStateChange(), deps());
    const input = {
      action: 'canary',
      imageId: AMI,
      trigger: 'image-builder',
      reason: `image ${IMAGE_ARN} is available`,
    };
    expect([...executions.executions]).toEqual([['image-a1b2c3d4-5678-90ab-cdef-EXAMPLE11111', input]]);
    // what it starts passes the workflow's own validation
    expect(validateRequest(input)).toMatchObject({
      action: 'canary',
      imageId: AMI,
    });
  });

  it('uses the same execution name for a duplicate delivery, so Step Functions starts it once', async () => {
    baked();
    const first = await onImageAvailable(imageStateChange(), deps());
    const again = await onImageAvailable(imageStateChange(), deps());
    expect(again).toEqual(first);
    expect(executions.executions.size).toBe(1);
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
      expect(imageBuilder.findingReads).toHaveLength(0);
      expect(executions.executions.size).toBe(0);
    },
  );

  it('refuses an image with no AMI in this region', async () => {
    baked({}, [{ region: 'us-east-1', imageId: 'ami-0eeeeeeeeeeeeeeee' }]);
    expect(await onImageAvailable(imageStateChange(), deps())).toEqual({
      started: false,
      reason: `${IMAGE_ARN} has no AMI in us-west-2`,
    });
    expect(executions.executions.size).toBe(0);
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
    expect(executions.executions.size).toBe(0);
  });
});

describe('onImageAvailable scan gate', () => {
  it('asks for the findings of exactly this image build', async () => {
    baked();
    await onImageAvailable(imageStateChange(), deps());
    expect(imageBuilder.findingReads).toEqual([IMAGE_ARN]);
  });

  it.each([
    // gate, findings by severity, blocking findings
    ['CRITICAL', { LOW: 2, MEDIUM: 4, HIGH: 3, CRITICAL: 0 }, 0],
    ['CRITICAL', { LOW: 0, MEDIUM: 4, HIGH: 3, CRITICAL: 2 }, 2],
    ['HIGH', { LOW: 0, MEDIUM: 4, HIGH: 3, CRITICAL: 2 }, 5],
    ['HIGH', { LOW: 0, MEDIUM: 4, HIGH: 0, CRITICAL: 0 }, 0],
    ['MEDIUM', { LOW: 0, MEDIUM: 4, HIGH: 3, CRITICAL: 2 }, 9],
    ['LOW', { LOW: 3, MEDIUM: 4, HIGH: 3, CRITICAL: 2 }, 12],
    ['MEDIUM', { LOW: 3, MEDIUM: 4, HIGH: 3, CRITICAL: 2 }, 9],
  ] as Array<[Severity, Record<Severity, number>, number]>)(
    'with the gate at %s, counts %j as %i blocking findings',
    async (gate, findings, blocking) => {
      baked(findings);
      const r = await onImageAvailable(imageStateChange(), deps(gate));
      if (blocking === 0) {
        expect(r.started).toBe(true);
      } else {
        expect(r).toEqual({
          started: false,
          reason: `${IMAGE_ARN} (${AMI}) has ${blocking} findings at or above ${gate}; not rolled out`,
        });
        expect(executions.executions.size).toBe(0);
      }
    },
  );

  it('lets an image through when the scan found nothing', async () => {
    baked();
    expect((await onImageAvailable(imageStateChange(), deps('LOW'))).started).toBe(true);
  });
});

describe('onImageAvailable errors', () => {
  it('propagates an Image Builder error by name', async () => {
    imageBuilder.failures.on('amis', Object.assign(new Error('gone'), { name: 'ResourceNotFoundException' }));
    await expect(onImageAvailable(imageStateChange(), deps())).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });

  it('propagates a refused start (EventBridge retries the event)', async () => {
    baked();
    executions.failures.on('start', Object.assign(new Error('limit'), { name: 'ExecutionLimitExceeded' }));
    await expect(onImageAvailable(imageStateChange(), deps())).rejects.toMatchObject({
      name: 'ExecutionLimitExceeded',
    });
  });
});
