import { validateRequest } from '../planning/validate-request';
import type { ValidateInputEvent } from '../planning/validate-request';
import { stepHandler } from '../runtime/handler';

/** First step of every execution: refuse a malformed input before anything is touched. */
export const handler = stepHandler('validate-input', (event: ValidateInputEvent) =>
  Promise.resolve(validateRequest(event.input)),
);
