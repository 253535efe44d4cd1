// zod/mini: the same validation with a tree-shakable API (about 15 KB bundled, not 440 KB).
import * as z from 'zod/mini';
import { AMI_ID, AMI_ID_RULE } from './ami';

/**
 * EC2 instance ids are `i-` and 8 or 17 hex digits.
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/resource-ids.html
 */
export const INSTANCE_ID = /^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

/**
 * The most instances one replace takes: Auto Scaling detaches at most 20 instances per call.
 * @see https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DetachInstances.html
 */
export const MAX_REPLACED_INSTANCES = 20;

export const INPUT_FIELDS = [
  'action',
  'imageId',
  'instanceIds',
  'reason',
  'force',
  'dryRun',
  'trigger',
] as const;

/**
 * The execution input. Strict: an unknown field (a typo such as `imgeId`) is refused rather
 * than ignored, because ignoring it would silently change what the rollout does.
 */
export const rolloutInputSchema = z
  .strictObject(
    {
      action: z.enum(['phoenix', 'canary', 'rollback', 'restore', 'replace'], {
        error: 'must be "phoenix", "canary", "rollback", "restore" or "replace"',
      }),
      imageId: z.optional(
        z.string({ error: 'must be a string' }).check(z.regex(AMI_ID, { error: AMI_ID_RULE })),
      ),
      instanceIds: z.optional(
        z
          .array(
            z
              .string({ error: 'must be a string' })
              .check(z.regex(INSTANCE_ID, { error: 'must be an instance id like i-0123456789abcdef0' })),
            { error: 'must be a list of instance ids such as ["i-0123456789abcdef0"]' },
          )
          .check(
            z.minLength(1, { error: 'must name at least one instance' }),
            z.maxLength(MAX_REPLACED_INSTANCES, {
              error: `must name at most ${MAX_REPLACED_INSTANCES} instances (Auto Scaling detaches 20 at a time); start another replace for the rest`,
            }),
            z.refine((ids) => new Set(ids).size === ids.length, { error: 'must not name an instance twice' }),
          ),
      ),
      reason: z.optional(
        z
          .string({ error: 'must be a string' })
          .check(z.maxLength(500, { error: 'must be at most 500 characters' })),
      ),
      force: z.optional(z.boolean({ error: 'must be true or false' })),
      dryRun: z.optional(z.boolean({ error: 'must be true or false' })),
      trigger: z.optional(
        // recovery: the lock janitor's automatic restore after an execution that ended unsafely
        z.enum(['console', 'schedule', 'image-factory', 'promotion', 'recovery', 'interactive-access'], {
          error:
            'must be "console", "schedule", "image-factory", "promotion", "recovery" or "interactive-access"',
        }),
      ),
    },
    { error: 'must be a JSON object such as {"action":"phoenix"}' },
  )
  .check(
    z.superRefine((input, ctx) => {
      if (input.action === 'canary' && !input.imageId) {
        ctx.addIssue({
          code: 'custom',
          path: ['imageId'],
          message: 'is required for a canary (the AMI to roll out)',
          input,
        });
      }
      if (input.action !== 'canary' && input.imageId) {
        ctx.addIssue({
          code: 'custom',
          path: ['imageId'],
          message: `is only accepted for a canary (${input.action} uses the released images)`,
          input,
        });
      }
      if (input.action === 'replace' && !input.instanceIds) {
        ctx.addIssue({
          code: 'custom',
          path: ['instanceIds'],
          message:
            'is required for a replace (the fleet instances to replace, such as ["i-0123456789abcdef0"])',
          input,
        });
      }
      if (input.action !== 'replace' && input.instanceIds) {
        ctx.addIssue({
          code: 'custom',
          path: ['instanceIds'],
          message: `is only accepted for a replace (${input.action} acts on the whole fleet)`,
          input,
        });
      }
      if (input.force !== undefined && input.action !== 'phoenix') {
        ctx.addIssue({
          code: 'custom',
          path: ['force'],
          message: 'is only accepted for a phoenix rotation',
          input,
        });
      }
    }),
  );

export type RolloutInput = z.infer<typeof rolloutInputSchema>;
