import { CreateTagsCommand, DeleteTagsCommand } from '@aws-sdk/client-ec2';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { keepTag, releasedTag } from '../shared/tags';
import type { FleetRecord, WorkflowSettings } from '../shared/types';

/**
 * Mark the released image (the promotion gate of the next environment reads it) and keep
 * exactly the images a rollback may need — the released one and the one before — out of the
 * bake pipeline's lifecycle policy. Tags are per environment, so one environment letting go
 * of an image never exposes it while another still needs it.
 */
export async function tagRelease(
  e: { settings: WorkflowSettings; before: FleetRecord; after: FleetRecord },
  d: { ec2: EC2Client; now: Date },
): Promise<{ tagged: string[]; released: string[] }> {
  const env = e.settings.environment;
  const keep = keepTag(env);
  const needed = [e.after.releasedImage, e.after.previousImage].filter((i): i is string => Boolean(i));
  await d.ec2.send(
    new CreateTagsCommand({
      Resources: [e.after.releasedImage],
      Tags: [{ Key: releasedTag(env), Value: d.now.toISOString() }],
    }),
  );
  await d.ec2.send(new CreateTagsCommand({ Resources: needed, Tags: [{ Key: keep, Value: 'true' }] }));
  const dropped = [e.before.releasedImage, e.before.previousImage].filter(
    (i): i is string => Boolean(i) && !needed.includes(i as string),
  );
  if (dropped.length) await d.ec2.send(new DeleteTagsCommand({ Resources: dropped, Tags: [{ Key: keep }] }));
  return { tagged: needed, released: dropped };
}
