import { validateRequest } from '../../../lambda/planning/validate-request';
import type { Severity } from '../../../lambda/shared/severities';
import { onImageAvailable } from '../../../lambda/triggers/image-available';
import { FakeExecutions } from '../fakes/executions';
import { FakePromotionStore } from '../fakes/promotion-store';
import { NOW } from '../fixtures';
import { FACTORY_ACCOUNT, IMAGE_ARN, imageAvailable } from './events';

const ROLLOUT = 'arn:aws:states:us-west-2:222233334444:stateMachine:immutable-dev-rollout';
const AMI = 'ami-0123456789abcdef0';

let store: FakePromotionStore;
let executions: FakeExecutions;

beforeEach(() => {
  store = new FakePromotionStore();
  executions = new FakeExecutions(ROLLOUT);
});

const deps = (o: { failOnSeverity?: Severity; takesFactoryImages?: boolean; region?: string } = {}) => ({
  store,
  executions,
  region: o.region ?? 'us-west-2',
  failOnSeverity: o.failOnSeverity ?? 'HIGH',
  takesFactoryImages: o.takesFactoryImages ?? true,
  factoryAccount: FACTORY_ACCOUNT,
  now: NOW,
});

describe('onImageAvailable in the environment that takes the factory images', () => {
  it("records the announcement and starts a canary of this region's AMI, named after the event", async () => {
    const r = await onImageAvailable(imageAvailable(), deps());
    expect(r).toEqual({
      started: true,
      imageId: AMI,
      executionArn:
        'arn:aws:states:us-west-2:222233334444:execution:immutable-dev-rollout:image-b2c3d4e5-6789-01ab-cdef-EXAMPLE33333',
    });
    const input = {
      action: 'canary',
      imageId: AMI,
      trigger: 'image-factory',
      reason: `the image factory baked ${IMAGE_ARN}`,
    };
    expect([...executions.executions.values()]).toEqual([input]);
    // what it starts passes the workflow's own validation
    expect(validateRequest(input)).toMatchObject({
      action: 'canary',
      imageId: AMI,
      trigger: 'image-factory',
    });
    expect(store.factoryImages.get(AMI)).toMatchObject({
      imageId: AMI,
      imageArn: IMAGE_ARN,
      announcedAt: NOW.toISOString(),
    });
  });

  it('uses the same execution name for a duplicate delivery, so Step Functions starts it once', async () => {
    const first = await onImageAvailable(imageAvailable(), deps());
    expect(await onImageAvailable(imageAvailable(), deps())).toEqual(first);
    expect(executions.executions.size).toBe(1);
  });
});

describe('onImageAvailable in an environment that takes released images only', () => {
  it('records the announcement and starts nothing', async () => {
    expect(await onImageAvailable(imageAvailable(), deps({ takesFactoryImages: false }))).toEqual({
      started: false,
      recorded: true,
      reason: `recorded ${AMI}; this environment takes released images only`,
    });
    expect(store.factoryImages.has(AMI)).toBe(true);
    expect(executions.executions.size).toBe(0);
  });
});

describe('onImageAvailable refuses what it must not roll out', () => {
  it('ignores an announcement from any account but the factory', async () => {
    const r = await onImageAvailable(imageAvailable({}, '999988887777'), deps());
    expect(r).toEqual({
      started: false,
      recorded: false,
      reason: `an Image Available event from account 999988887777, not the image factory's (${FACTORY_ACCOUNT}); ignored`,
    });
    expect(store.factoryImages.size).toBe(0);
    expect(executions.executions.size).toBe(0);
  });

  it('ignores an image with no AMI in this region', async () => {
    expect(await onImageAvailable(imageAvailable(), deps({ region: 'eu-west-1' }))).toEqual({
      started: false,
      recorded: false,
      reason: `${IMAGE_ARN} has no AMI in eu-west-1`,
    });
  });

  it('refuses an image that was never scanned', async () => {
    const r = await onImageAvailable(
      imageAvailable({ findings: { scanned: false, critical: 0, high: 0, medium: 0, low: 0 } }),
      deps(),
    );
    expect(r).toEqual({
      started: false,
      recorded: true,
      reason: `${IMAGE_ARN} (${AMI}) was not scanned (no completed vulnerability scan); not rolled out`,
    });
    expect(executions.executions.size).toBe(0);
  });

  it.each([
    // gate, findings, blocking
    ['CRITICAL', { critical: 0, high: 3, medium: 4, low: 2 }, 0],
    ['CRITICAL', { critical: 2, high: 3, medium: 4, low: 0 }, 2],
    ['HIGH', { critical: 2, high: 3, medium: 4, low: 0 }, 5],
    ['HIGH', { critical: 0, high: 0, medium: 4, low: 0 }, 0],
    ['MEDIUM', { critical: 2, high: 3, medium: 4, low: 3 }, 9],
    ['LOW', { critical: 2, high: 3, medium: 4, low: 3 }, 12],
  ] as const)('with the gate at %s, counts %j as %i blocking findings', async (gate, counts, blocking) => {
    const r = await onImageAvailable(
      imageAvailable({ findings: { scanned: true, ...counts } }),
      deps({ failOnSeverity: gate }),
    );
    if (blocking === 0) expect(r.started).toBe(true);
    else {
      expect(r).toEqual({
        started: false,
        recorded: true,
        reason: `${IMAGE_ARN} (${AMI}) has ${blocking} findings at or above ${gate}; not rolled out`,
      });
      expect(executions.executions.size).toBe(0);
    }
  });

  it.each([
    ['another source', { source: 'aws.imagebuilder' }],
    ['another detail type', { 'detail-type': 'Image Released' }],
    [
      'an AMI id that is not one',
      { detail: { ...imageAvailable().detail, amis: [{ region: 'us-west-2', imageId: 'ami-x' }] } },
    ],
    ['no AMI at all', { detail: { ...imageAvailable().detail, amis: [] } }],
    [
      'negative findings',
      {
        detail: {
          ...imageAvailable().detail,
          findings: { scanned: true, critical: -1, high: 0, medium: 0, low: 0 },
        },
      },
    ],
  ])('fails loudly on an event with %s (the dead-letter queue keeps it)', async (_what, change) => {
    await expect(onImageAvailable({ ...imageAvailable(), ...change }, deps())).rejects.toMatchObject({
      name: 'MalformedEvent',
    });
    expect(store.factoryImages.size).toBe(0);
    expect(executions.executions.size).toBe(0);
  });
});

describe('onImageAvailable errors', () => {
  it('propagates a refused start (EventBridge retries the event)', async () => {
    executions.failures.on('start', Object.assign(new Error('limit'), { name: 'ExecutionLimitExceeded' }));
    await expect(onImageAvailable(imageAvailable(), deps())).rejects.toMatchObject({
      name: 'ExecutionLimitExceeded',
    });
  });
});
