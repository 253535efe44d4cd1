/** What the workflow gives each group: the live colour runs `desired` instances, never fewer than `min`. */
export interface FleetCapacity {
  readonly min: number;
  readonly desired: number;
  readonly max: number;
}

/** A broken capacity rule: the field, and what it must be. */
export interface CapacityProblem {
  readonly field: keyof FleetCapacity;
  readonly message: string;
}

/**
 * The order the fleet's capacity must keep: the live colour never runs fewer than `min` nor
 * more than `max` instances, so min <= desired <= max.
 */
export function capacityOrderProblems(c: FleetCapacity): CapacityProblem[] {
  return [
    ...(c.min > c.desired
      ? [{ field: 'min' as const, message: `must be <= capacity.desired (${c.desired})` }]
      : []),
    ...(c.desired > c.max
      ? [{ field: 'desired' as const, message: `must be <= capacity.max (${c.max})` }]
      : []),
  ];
}
