import * as z from 'zod/mini';
import { severitiesAtOrAbove } from '../shared/severities';
import type { Severity } from '../shared/severities';
import type { Executions, ImageBuilder } from './ports';

/**
 * "EC2 Image Builder Image State Change". The event names the image build version ARN in
 * `resources`, not the AMI id: GetImage resolves it.
 * @see https://docs.aws.amazon.com/imagebuilder/latest/userguide/integ-eventbridge.html
 */
export const imageStateChangeSchema = z.object({
  source: z.literal('aws.imagebuilder'),
  'detail-type': z.literal('EC2 Image Builder Image State Change'),
  id: z.string(),
  resources: z
    .array(z.string().check(z.regex(/^arn:aws[a-z-]*:imagebuilder:[^:]+:\d{12}:image\//)))
    .check(z.minLength(1)),
  detail: z.object({ state: z.object({ status: z.string() }) }),
});

export interface ImageAvailableDeps {
  readonly imageBuilder: ImageBuilder;
  /** Executions of the rollout state machine. */
  readonly executions: Executions;
  readonly region: string;
  /** Lowest Inspector severity that keeps an image out of the fleet. */
  readonly failOnSeverity: Severity;
}

export type ImageAvailableResult =
  { started: true; imageId: string; executionArn: string } | { started: false; reason: string };

/**
 * A new image is AVAILABLE: find its AMI in this region, refuse it if its scan found
 * vulnerabilities at or above the gate, otherwise start a canary of it.
 */
export async function onImageAvailable(event: unknown, d: ImageAvailableDeps): Promise<ImageAvailableResult> {
  const e = imageStateChangeSchema.parse(event);
  if (e.detail.state.status !== 'AVAILABLE')
    return { started: false, reason: `image is ${e.detail.state.status}` };
  const arn = e.resources[0] as string;
  const ami = (await d.imageBuilder.amis(arn)).find((a) => a.region === d.region)?.imageId;
  if (!ami) return { started: false, reason: `${arn} has no AMI in ${d.region}` };

  const counts = await d.imageBuilder.findings(arn);
  const findings = severitiesAtOrAbove(d.failOnSeverity).reduce((sum, s) => sum + counts[s], 0);
  if (findings > 0) {
    return {
      started: false,
      reason: `${arn} (${ami}) has ${findings} findings at or above ${d.failOnSeverity}; not rolled out`,
    };
  }
  // EventBridge may deliver an event twice; the event id makes the start idempotent.
  const executionArn = await d.executions.start(`image-${e.id}`, {
    action: 'canary',
    imageId: ami,
    trigger: 'image-builder',
    reason: `image ${arn} is available`,
  });
  return { started: true, imageId: ami, executionArn };
}
