import * as errors from '../../../lambda/shared/errors';
import { ROLLOUT_ERROR_NAMES, RolloutError } from '../../../lambda/shared/errors';
import { TRANSIENT_ERRORS } from '../../../lambda/shared/transient-errors';

type ErrorClass = new (message: string) => RolloutError;
const classes = Object.entries(errors as Record<string, unknown>).filter(
  (entry): entry is [string, ErrorClass] =>
    typeof entry[1] === 'function' && (entry[1] as ErrorClass).prototype instanceof RolloutError,
);

describe('rollout errors', () => {
  it('lists every error class by name', () => {
    expect(classes.map(([exported]) => exported).sort()).toEqual([...ROLLOUT_ERROR_NAMES].sort());
  });

  it.each(classes)(
    '%s carries its own name as a literal (minification renames classes)',
    (exported, Class) => {
      const e = new Class('why');
      expect(e.name).toBe(exported);
      expect(e.message).toBe('why');
      expect(e).toBeInstanceOf(Error);
      expect(Object.getOwnPropertyDescriptor(e, 'name')?.value).toBe(exported);
    },
  );

  it('keeps rollout errors and transient errors apart, so a real failure is never retried', () => {
    expect(ROLLOUT_ERROR_NAMES.filter((n) => (TRANSIENT_ERRORS as readonly string[]).includes(n))).toEqual(
      [],
    );
  });
});
