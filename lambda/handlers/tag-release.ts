import { EC2Client } from '@aws-sdk/client-ec2';
import { Ec2Images } from '../aws/ec2';
import { tagRelease } from '../fleet/tag-release';
import type { TagReleaseEvent } from '../fleet/tag-release';
import { stepHandler } from '../runtime/handler';

const images = new Ec2Images(new EC2Client({}));

/** Mark the released image for the promotion gate and keep rollback candidates out of the lifecycle policy. */
export const handler = stepHandler('tag-release', (event: TagReleaseEvent) => tagRelease(event, { images }));
