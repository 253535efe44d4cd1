import { awsError, type SimService } from '../errors';

/** Small checks shared by the service handlers; each throws the service's own error code. */
export class Validator {
  constructor(
    private readonly service: SimService,
    private readonly code: string,
  ) {}

  fail(message: string): never {
    throw awsError(this.service, this.code, message);
  }

  required<T>(value: T | undefined | null, field: string): T {
    if (value === undefined || value === null || value === '')
      this.fail(
        `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`,
      );
    return value;
  }

  integer(value: number | undefined, field: string, min: number, max: number): void {
    if (value === undefined) return;
    if (!Number.isInteger(value) || value < min || value > max)
      this.fail(
        `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: Member must have value between ${min} and ${max}`,
      );
  }
}
