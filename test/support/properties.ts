import { relative } from 'node:path';
import fc from 'fast-check';

/**
 * How every property test runs. `npm test` checks the same cases every run: a fixed seed, and
 * the number of cases the property asks for (at least 200), so a change lands or not on its own
 * merits, never on the luck of a draw. `npm run fuzz` explores: a new random seed per run, at
 * least 1,000 cases per property, and on a failure the command that replays it.
 *
 *   PROPERTY_SEED=<seed> PROPERTY_PATH=<path>   replay a failure (printed by `npm run fuzz`)
 *   PROPERTY_RUNS=<n>                          cases per property, whatever the mode
 */

/** The seed of every `npm test` run. */
export const CI_SEED = 1_764_547_200;

/** Cases per property in `npm run fuzz`, at least. */
export const FUZZ_RUNS = 1000;

/** The fewest cases `npm test` runs of any property. */
export const MIN_CI_RUNS = 200;

export interface PropertyMode {
  readonly fuzz: boolean;
  readonly seed: number;
  readonly path?: string;
  readonly runs?: number;
}

export function propertyMode(env: NodeJS.ProcessEnv = process.env): PropertyMode {
  const fuzz = env.FUZZ === '1';
  const seed = env.PROPERTY_SEED ? Number(env.PROPERTY_SEED) : fuzz ? randomSeed() : CI_SEED;
  if (!Number.isInteger(seed)) throw new Error(`PROPERTY_SEED must be an integer, got ${env.PROPERTY_SEED}`);
  const runs = env.PROPERTY_RUNS ? Number(env.PROPERTY_RUNS) : undefined;
  if (runs !== undefined && !(Number.isInteger(runs) && runs > 0))
    throw new Error(`PROPERTY_RUNS must be a whole number > 0, got ${env.PROPERTY_RUNS}`);
  return { fuzz, seed, ...(env.PROPERTY_PATH ? { path: env.PROPERTY_PATH } : {}), ...(runs ? { runs } : {}) };
}

/**
 * Settings for one property. `ciRuns` is what `npm test` runs (raised to at least 200); the fuzz
 * run takes at least 1,000.
 */
export function propertyRuns<T>(ciRuns = MIN_CI_RUNS, mode = propertyMode()): fc.Parameters<T> {
  const numRuns = mode.runs ?? (mode.fuzz ? Math.max(FUZZ_RUNS, ciRuns) : Math.max(MIN_CI_RUNS, ciRuns));
  return {
    seed: mode.seed,
    numRuns,
    ...(mode.path ? { path: mode.path } : {}),
    reporter: replayReporter<T>,
  };
}

/** fast-check's own report, then the command that replays exactly this failure. */
function replayReporter<T>(details: fc.RunDetails<T>): void {
  if (!details.failed) return;
  const { testPath, currentTestName } = expect.getState();
  const file = testPath ? relative(process.cwd(), testPath) : '';
  const replay =
    `PROPERTY_SEED=${details.seed} PROPERTY_PATH=${details.counterexamplePath ?? ''} ` +
    `npx jest ${file} -t ${JSON.stringify(currentTestName ?? '')}`;
  throw new Error(`${fc.defaultReportMessage(details)}\n\nReplay this failure:\n  ${replay}`);
}

function randomSeed(): number {
  // A fuzz run's seed only has to differ between runs; it is printed with any failure.
  return Math.floor(Math.random() * 0x7fffffff) ^ Date.now();
}

/** The surrogates (U+D800 to U+DFFF), which `binary` strings leave out. */
const SURROGATES = { first: 0xd800, count: 0x800 } as const;

/**
 * One code point, any but a surrogate: the unit of `fc.string({ unit: 'binary' })`, drawing the same
 * strings for the same seed (fast-check 4). fast-check builds a table of all 1.1 million code points
 * on the first use of its own unit, about 4 s in every test file; this one maps an index instead,
 * and maps a character back to its index so fast-check still shrinks and slices strings.
 */
export function binaryUnit(): fc.Arbitrary<string> {
  const { first, count } = SURROGATES;
  return fc.nat({ max: 0x10ffff - count }).map(
    (index) => String.fromCodePoint(index < first ? index : index + count),
    (value) => {
      const codePoint =
        typeof value === 'string' && [...value].length === 1 ? value.codePointAt(0) : undefined;
      if (codePoint === undefined || (codePoint >= first && codePoint < first + count))
        throw new Error(`not one code point outside the surrogates: ${JSON.stringify(value)}`);
      return codePoint < first ? codePoint : codePoint - count;
    },
  );
}
