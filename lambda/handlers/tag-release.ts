import { EC2Client } from '@aws-sdk/client-ec2';
import { tagRelease } from '../fleet/tag-release';
import { stepHandler } from '../runtime/handler';
import type { WorkflowSettings } from '../shared/settings';
import type { ExecutionRef, FleetRecord } from '../shared/documents';

const ec2 = new EC2Client({});

/** Mark the released image for the promotion gate and keep rollback candidates out of the lifecycle policy. */
export const handler = stepHandler(
  'tag-release',
  (event: {
    settings: WorkflowSettings;
    execution: ExecutionRef;
    before: FleetRecord;
    after: FleetRecord;
    dryRun?: boolean;
  }) => tagRelease(event, { ec2 }),
);
