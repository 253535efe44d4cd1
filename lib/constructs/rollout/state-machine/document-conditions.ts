import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { JsonPath } from '../../../../lambda/shared/workflow/json-path';

/**
 * Choice conditions on typed document paths (lambda/shared/workflow/): besides the path, the
 * compiler checks what is compared there, a boolean field against a boolean and a string field
 * against one of its values (`plan.kind` against 'canary', never 'canery').
 */
export const DocumentCondition = {
  booleanEquals: (path: JsonPath<boolean | undefined>, value: boolean): sfn.Condition =>
    sfn.Condition.booleanEquals(path, value),
  stringEquals: <T extends string>(path: JsonPath<T | undefined>, value: NoInfer<T>): sfn.Condition =>
    sfn.Condition.stringEquals(path, value),
  isPresent: (path: JsonPath<unknown>): sfn.Condition => sfn.Condition.isPresent(path),
} as const;
