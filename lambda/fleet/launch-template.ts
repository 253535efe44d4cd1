import { CreateLaunchTemplateVersionCommand } from '@aws-sdk/client-ec2';
import type { EC2Client } from '@aws-sdk/client-ec2';

/**
 * A new launch-template version: the current definition (`$Default`, which CloudFormation
 * owns) with a concrete AMI. Concrete ids and explicit versions keep instance-refresh
 * rollback available, and a definition changed by a deploy reaches instances here.
 * @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/instance-refresh-rollback.html
 */
export async function createVersion(
  ec2: EC2Client,
  launchTemplateId: string,
  imageId: string,
  description: string,
): Promise<string> {
  const out = await ec2.send(
    new CreateLaunchTemplateVersionCommand({
      LaunchTemplateId: launchTemplateId,
      SourceVersion: '$Default',
      VersionDescription: description.slice(0, 255),
      LaunchTemplateData: { ImageId: imageId },
    }),
  );
  const version = out.LaunchTemplateVersion?.VersionNumber;
  if (version === undefined)
    throw new Error(`CreateLaunchTemplateVersion on ${launchTemplateId} returned no version`);
  return String(version);
}
