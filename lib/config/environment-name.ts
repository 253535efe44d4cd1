import { z } from 'zod';
import {
  ENVIRONMENT_NAME,
  ENVIRONMENT_NAME_RULE,
  RESERVED_ENVIRONMENT_NAMES,
} from '../../lambda/shared/environments';

export { FROM_IMAGE_FACTORY } from '../../lambda/shared/environments';
import { MAX_ENVIRONMENT_NAME_LENGTH, TIGHTEST_DERIVED_NAME } from '../../lambda/shared/name-limits';

const tightest = TIGHTEST_DERIVED_NAME;

/**
 * An environment's name: any the team chooses, as long as every name built from it stays within
 * AWS's limits (`name-limits.ts` lists them) and it is not a word the product already uses where
 * a name goes.
 */
export const environmentName = z
  .string({ error: `must be a name of ${ENVIRONMENT_NAME_RULE}` })
  .regex(ENVIRONMENT_NAME, { error: `must be ${ENVIRONMENT_NAME_RULE}` })
  .max(MAX_ENVIRONMENT_NAME_LENGTH, {
    error:
      `must be at most ${MAX_ENVIRONMENT_NAME_LENGTH} characters: its ${tightest.what} ` +
      `${tightest.name('<name>')} may have at most ${tightest.maxLength} (${tightest.see})`,
  })
  .refine((name) => !Object.hasOwn(RESERVED_ENVIRONMENT_NAMES, name), {
    error: (issue) =>
      `must not be "${String(issue.input)}": ${RESERVED_ENVIRONMENT_NAMES[String(issue.input)] ?? ''}`,
  });
