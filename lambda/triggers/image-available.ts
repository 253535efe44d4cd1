import { GetImageCommand, ListImageScanFindingAggregationsCommand } from '@aws-sdk/client-imagebuilder';
import type { ImagebuilderClient } from '@aws-sdk/client-imagebuilder';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { SFNClient } from '@aws-sdk/client-sfn';
import * as z from 'zod/mini';
import { severitiesAtOrAbove } from '../shared/severities';
import type { Severity } from '../shared/severities';

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
  readonly imagebuilder: ImagebuilderClient;
  readonly sfn: SFNClient;
  readonly stateMachineArn: string;
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
  const out = await d.imagebuilder.send(new GetImageCommand({ imageBuildVersionArn: arn }));
  const ami = out.image?.outputResources?.amis?.find((a) => a.region === d.region)?.image;
  if (!ami) return { started: false, reason: `${arn} has no AMI in ${d.region}` };

  const findings = await blockingFindings(d, arn);
  if (findings > 0) {
    return {
      started: false,
      reason: `${arn} (${ami}) has ${findings} findings at or above ${d.failOnSeverity}; not rolled out`,
    };
  }
  const started = await d.sfn.send(
    new StartExecutionCommand({
      stateMachineArn: d.stateMachineArn,
      // EventBridge may deliver an event twice; the event id makes the start idempotent.
      name: `image-${e.id}`.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 80),
      input: JSON.stringify({
        action: 'canary',
        imageId: ami,
        trigger: 'image-builder',
        reason: `image ${arn} is available`,
      }),
    }),
  );
  return { started: true, imageId: ami, executionArn: started.executionArn ?? '' };
}

async function blockingFindings(d: ImageAvailableDeps, arn: string): Promise<number> {
  const out = await d.imagebuilder.send(
    new ListImageScanFindingAggregationsCommand({ filter: { name: 'imageBuildVersionArn', values: [arn] } }),
  );
  const counts = out.responses?.[0]?.imageAggregation?.severityCounts;
  if (!counts) return 0;
  const bySeverity: Record<Severity, number> = {
    LOW: 0,
    MEDIUM: counts.medium ?? 0,
    HIGH: counts.high ?? 0,
    CRITICAL: counts.critical ?? 0,
  };
  // Image Builder's aggregation reports critical/high/medium and an overall count; LOW is what remains.
  bySeverity.LOW = Math.max(0, (counts.all ?? 0) - bySeverity.MEDIUM - bySeverity.HIGH - bySeverity.CRITICAL);
  return severitiesAtOrAbove(d.failOnSeverity).reduce((sum, s) => sum + bySeverity[s], 0);
}
