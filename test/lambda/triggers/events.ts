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
