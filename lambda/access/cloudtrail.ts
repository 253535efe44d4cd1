import * as z from 'zod/mini';
import { INTERACTIVE_ACCESS_APIS } from '../shared/operations';
import type { InteractiveAccessApi } from '../shared/operations';
import { INSTANCE_ID } from '../shared/input-schema';

/**
 * An API call CloudTrail recorded, as EventBridge delivers it ("AWS API Call via CloudTrail"):
 * the envelope, and in `detail` the CloudTrail record (who called, when, what with). Parsed, not
 * trusted: only what the product reads is required, anything else may be there.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html
 */
export const cloudTrailApiCallSchema = z.object({
  id: z.string(),
  'detail-type': z.literal('AWS API Call via CloudTrail'),
  source: z.string(),
  time: z.string(),
  detail: z.object({
    eventName: z.enum(INTERACTIVE_ACCESS_APIS),
    eventSource: z.string(),
    eventTime: z.optional(z.string()),
    userIdentity: z.optional(
      z.object({
        type: z.optional(z.string()),
        arn: z.optional(z.string()),
        principalId: z.optional(z.string()),
      }),
    ),
    /** null when the call was refused before AWS read its parameters. */
    requestParameters: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
    /** Set when the call failed (AccessDenied, TargetNotConnected, …): nothing was opened. */
    errorCode: z.optional(z.string()),
  }),
});
export type CloudTrailApiCall = z.infer<typeof cloudTrailApiCallSchema>;

/** Which instances a call reached: by id, or by a tag selector resolved against the fleet. */
export interface AccessTargets {
  readonly instanceIds: readonly string[];
  /** `tag:<key>` = one of values, or `tag-key` = has one of the keys (Run Command targets). */
  readonly tagSelectors: ReadonlyArray<{ readonly key?: string; readonly values: readonly string[] }>;
  /** Targets the product cannot resolve (resource groups): reported, not acted on. */
  readonly unresolved: readonly string[];
}

const isInstanceId = (v: unknown): v is string => typeof v === 'string' && INSTANCE_ID.test(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x) => typeof x === 'string') : []);

/**
 * The instances a call names, where each API puts them in `requestParameters`:
 * - StartSession: `target`, the managed node's id
 *   (@see https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_StartSession.html);
 * - SendCommand: `instanceIds`, or `targets` of `{key, values}` with key `InstanceIds`,
 *   `tag:<key>`, `tag-key` or `resource-groups:…`
 *   (@see https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_SendCommand.html,
 *   @see https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_Target.html);
 * - SendSSHPublicKey: `instanceId`
 *   (@see https://docs.aws.amazon.com/ec2-instance-connect/latest/APIReference/API_SendSSHPublicKey.html).
 * CloudTrail writes the request's parameter names in lower camel case.
 */
export function accessTargets(api: InteractiveAccessApi, parameters: Record<string, unknown>): AccessTargets {
  switch (api) {
    case 'StartSession':
      return {
        instanceIds: isInstanceId(parameters.target) ? [parameters.target] : [],
        tagSelectors: [],
        unresolved: [],
      };
    case 'SendSSHPublicKey':
      return {
        instanceIds: isInstanceId(parameters.instanceId) ? [parameters.instanceId] : [],
        tagSelectors: [],
        unresolved: [],
      };
    case 'SendCommand': {
      const ids = strings(parameters.instanceIds).filter(isInstanceId);
      const tagSelectors: Array<{ key?: string; values: string[] }> = [];
      const unresolved: string[] = [];
      const targets = Array.isArray(parameters.targets) ? parameters.targets : [];
      for (const t of targets) {
        const target = (typeof t === 'object' && t !== null ? t : {}) as Record<string, unknown>;
        const rawKey = target.key ?? target.Key;
        const key = typeof rawKey === 'string' ? rawKey : '';
        const values = strings(target.values ?? target.Values);
        // Target keys are matched case-insensitively ("InstanceIds" or "instanceids").
        if (key.toLowerCase() === 'instanceids') ids.push(...values.filter(isInstanceId));
        else if (key.startsWith('tag:')) tagSelectors.push({ key: key.slice('tag:'.length), values });
        else if (key.toLowerCase() === 'tag-key') tagSelectors.push({ values });
        else unresolved.push(`${key}=${values.join(',')}`);
      }
      return { instanceIds: [...new Set(ids)], tagSelectors, unresolved };
    }
  }
}

/** Who made the call, as CloudTrail identifies them. */
export function caller(call: CloudTrailApiCall): string {
  const u = call.detail.userIdentity;
  return u?.arn ?? u?.principalId ?? u?.type ?? 'an unknown caller';
}
