import type { Parameters } from 'fast-check';

/**
 * Run settings of every property. CI runs 1,000 cases per property. To replay a failure, copy
 * the seed and path fast-check printed into RELIABILITY_SEED and RELIABILITY_PATH.
 */
export function propertyRuns<T>(): Parameters<T> {
  const seed = process.env.RELIABILITY_SEED;
  const path = process.env.RELIABILITY_PATH;
  return {
    numRuns: Number(process.env.RELIABILITY_RUNS ?? 1000),
    ...(seed ? { seed: Number(seed) } : {}),
    ...(path ? { path } : {}),
  };
}
