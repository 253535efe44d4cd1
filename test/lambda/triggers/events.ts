import type { ImageAvailableDetail, ImageReleasedDetail } from '../../../lambda/shared/events';

/**
 * The example events AWS documents, with placeholders filled in: tests start from what
 * EventBridge really delivers.
 */

/** @see https://docs.aws.amazon.com/imagebuilder/latest/userguide/integ-eventbridge.html */
export const IMAGE_ARN =
  'arn:aws:imagebuilder:us-west-2:111122223333:image/cmkencryptedworkflowtest-a1b2c3d4-5678-90ab-cdef-EXAMPLE22222/1.0.0/1';
export function imageStateChange(status = 'AVAILABLE', previous = 'TESTING') {
  return {
    version: '0',
    id: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
    'detail-type': 'EC2 Image Builder Image State Change',
    source: 'aws.imagebuilder',
    account: '111122223333',
    time: '2024-01-18T17:50:56Z',
    region: 'us-west-2',
    resources: [IMAGE_ARN],
    detail: {
      'previous-state': { status: previous },
      state: { status },
    },
  };
}

/** @see https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html */
export const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:state-machine';
export const ENDED_EXECUTION_ARN =
  'arn:aws:states:us-east-1:123456789012:execution:state-machine-name:execution-name';
export function executionStatusChange(status = 'ABORTED') {
  return {
    version: '0',
    id: '315c1398-40ff-a850-213b-158f73e60175',
    'detail-type': 'Step Functions Execution Status Change',
    source: 'aws.states',
    account: '123456789012',
    time: '2019-02-26T19:42:21Z',
    region: 'us-east-1',
    resources: [ENDED_EXECUTION_ARN],
    detail: {
      executionArn: ENDED_EXECUTION_ARN,
      stateMachineArn: STATE_MACHINE_ARN,
      name: 'execution-name',
      status,
      startDate: 1551225014968,
      stopDate: 1551225017576,
      input: '{}',
      inputDetails: { included: true },
      output: null,
      outputDetails: null,
      error: null,
      cause: null,
    },
  };
}

/** The image factory's announcement, as a rule in an environment's account receives it. */
export const FACTORY_ACCOUNT = '111122223333';
export function imageAvailable(detail: Partial<ImageAvailableDetail> = {}, account = FACTORY_ACCOUNT) {
  return {
    version: '0',
    id: 'b2c3d4e5-6789-01ab-cdef-EXAMPLE33333',
    'detail-type': 'Image Available',
    source: 'immutable.images',
    account,
    time: '2026-03-02T09:00:00Z',
    region: 'us-west-2',
    resources: [],
    detail: {
      imageArn: IMAGE_ARN,
      pipelineArn: 'arn:aws:imagebuilder:us-west-2:111122223333:image-pipeline/immutable-web',
      amis: [
        { region: 'us-east-1', imageId: 'ami-0eeeeeeeeeeeeeeee' },
        { region: 'us-west-2', imageId: 'ami-0123456789abcdef0' },
      ],
      findings: { scanned: true, critical: 0, high: 0, medium: 0, low: 0 },
      recipeVersion: '1.0.0',
      sourceRevision: 'abc1234',
      ...detail,
    },
  };
}

/** An environment's release, as the next environment's rule receives it. */
export function imageReleased(detail: Partial<ImageReleasedDetail> = {}, account = '222233334444') {
  return {
    version: '0',
    id: 'c3d4e5f6-7890-12ab-cdef-EXAMPLE44444',
    'detail-type': 'Image Released',
    source: 'immutable.rollout',
    account,
    time: '2026-03-02T09:30:00Z',
    region: 'us-west-2',
    resources: [],
    detail: {
      environment: 'dev',
      imageId: 'ami-0bbbbbbbbbbbbbbbb',
      previousImage: 'ami-0aaaaaaaaaaaaaaaa',
      action: 'canary',
      trigger: 'image-factory',
      execution: 'arn:aws:states:us-west-2:222233334444:execution:immutable-dev-rollout:image-1',
      releasedAt: '2026-03-02T09:30:00.000Z',
      ...detail,
    },
  };
}
