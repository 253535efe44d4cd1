/**
 * Failures a fake raises instead of answering, by method: how a domain test makes AWS refuse a
 * call (throttling, missing permissions) and checks that the error comes through as it is.
 */
export class Failures<M extends string> {
  private readonly errors = new Map<M, Error>();

  /** From now on, `method` fails with `error`. */
  on(method: M, error: Error): void {
    this.errors.set(method, error);
  }

  /** Rejects with the failure set for `method`, if any, as an AWS call would. */
  check(method: M): Promise<void> {
    const error = this.errors.get(method);
    return error ? Promise.reject(error) : Promise.resolve();
  }
}
