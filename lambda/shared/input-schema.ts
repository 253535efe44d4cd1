// zod/mini: the same validation with a tree-shakable API (about 15 KB bundled, not 440 KB).
import * as z from 'zod/mini';

/** AMI ids are `ami-` and 8 or 17 hex digits. @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/resource-ids.html */
export const AMI_ID = /^ami-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

export const INPUT_FIELDS = ['action', 'imageId', 'reason', 'force', 'dryRun', 'trigger'] as const;

/**
 * The execution input. Strict: an unknown field (a typo such as `imgeId`) is refused rather
 * than ignored, because ignoring it would silently change what the rollout does.
 */
export const rolloutInputSchema = z
  .strictObject(
    {
      action: z.enum(['phoenix', 'canary', 'rollback', 'restore'], {
        error: 'must be "phoenix", "canary", "rollback" or "restore"',
      }),
      imageId: z.optional(
        z
          .string({ error: 'must be a string' })
          .check(z.regex(AMI_ID, { error: 'must be an AMI id like ami-0123456789abcdef0' })),
      ),
      reason: z.optional(
        z
          .string({ error: 'must be a string' })
          .check(z.maxLength(500, { error: 'must be at most 500 characters' })),
      ),
      force: z.optional(z.boolean({ error: 'must be true or false' })),
      dryRun: z.optional(z.boolean({ error: 'must be true or false' })),
      trigger: z.optional(
        z.enum(['console', 'schedule', 'image-factory', 'promotion'], {
          error: 'must be "console", "schedule", "image-factory" or "promotion"',
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
