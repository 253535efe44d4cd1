import type { BusEvent } from '../simulator/services/events';
import type { ACCESS_APIS } from '../faults';

export type AccessApi = (typeof ACCESS_APIS)[number];

/** The interactive-access fault's APIs, and where CloudTrail reports each. */
const SOURCES = {
  StartSession: { source: 'aws.ssm', eventSource: 'ssm.amazonaws.com' },
  SendCommand: { source: 'aws.ssm', eventSource: 'ssm.amazonaws.com' },
  SendSSHPublicKey: { source: 'aws.ec2-instance-connect', eventSource: 'ec2-instance-connect.amazonaws.com' },
} as const satisfies Record<AccessApi, { source: string; eventSource: string }>;

/** Who opens the session in a rehearsal. */
export const REHEARSAL_CALLER = (account: string) =>
  `arn:aws:sts::${account}:assumed-role/Operator/rehearsal`;

/** The request parameters each API puts the instance in, as CloudTrail records them. */
function requestParameters(api: AccessApi, instanceId: string): Record<string, unknown> {
  switch (api) {
    case 'StartSession':
      return { target: instanceId };
    case 'SendCommand':
      return { instanceIds: [instanceId], documentName: 'AWS-RunShellScript' };
    case 'SendSSHPublicKey':
      return { instanceId, instanceOSUser: 'ec2-user' };
  }
}

/**
 * The CloudTrail record of someone opening a way into an instance, as EventBridge delivers it
 * ("AWS API Call via CloudTrail", from the service's source) on the account's default bus.
 * @see https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-cloudtrail.html
 */
export function accessEvent(
  api: AccessApi,
  instanceId: string,
  account: string,
  at: Date,
): Omit<BusEvent, 'id' | 'account' | 'region' | 'time'> {
  const time = at.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    source: SOURCES[api].source,
    'detail-type': 'AWS API Call via CloudTrail',
    resources: [],
    detail: {
      eventVersion: '1.08',
      eventTime: time,
      eventSource: SOURCES[api].eventSource,
      eventName: api,
      userIdentity: { type: 'AssumedRole', arn: REHEARSAL_CALLER(account) },
      requestParameters: requestParameters(api, instanceId),
    },
  };
}
