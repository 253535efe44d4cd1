import { GetImageCommand, ListImageScanFindingAggregationsCommand } from '@aws-sdk/client-imagebuilder';
import type { ImagebuilderClient } from '@aws-sdk/client-imagebuilder';
import type { Severity } from '../shared/severities';
import type { BuiltImage, ImageBuilder } from '../factory/ports';

/** Image Builder's image build versions: where they were distributed, and what their scan found. */
export class ImageBuilderApi implements ImageBuilder {
  constructor(private readonly imagebuilder: ImagebuilderClient) {}

  /** @see https://docs.aws.amazon.com/imagebuilder/latest/APIReference/API_GetImage.html */
  async image(imageBuildVersionArn: string): Promise<BuiltImage> {
    const out = await this.imagebuilder.send(new GetImageCommand({ imageBuildVersionArn }));
    const image = out.image;
    return {
      ...(image?.sourcePipelineArn ? { pipelineArn: image.sourcePipelineArn } : {}),
      amis: (image?.outputResources?.amis ?? []).map((a) => ({ region: a.region, imageId: a.image })),
      ...(image?.scanState?.status ? { scanStatus: image.scanState.status } : {}),
    };
  }

  async findings(imageBuildVersionArn: string): Promise<Readonly<Record<Severity, number>>> {
    const out = await this.imagebuilder.send(
      new ListImageScanFindingAggregationsCommand({
        filter: { name: 'imageBuildVersionArn', values: [imageBuildVersionArn] },
      }),
    );
    const counts = out.responses?.[0]?.imageAggregation?.severityCounts;
    if (!counts) return { LOW: 0, MEDIUM: 0, HIGH: 0, CRITICAL: 0 };
    const bySeverity: Record<Severity, number> = {
      LOW: 0,
      MEDIUM: counts.medium ?? 0,
      HIGH: counts.high ?? 0,
      CRITICAL: counts.critical ?? 0,
    };
    // Image Builder's aggregation reports critical/high/medium and an overall count; LOW is what remains.
    bySeverity.LOW = Math.max(
      0,
      (counts.all ?? 0) - bySeverity.MEDIUM - bySeverity.HIGH - bySeverity.CRITICAL,
    );
    return bySeverity;
  }
}
