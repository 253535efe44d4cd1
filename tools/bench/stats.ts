/** Small statistics for the benchmark's figures. */
export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

export const round = (v: number, digits: number): number => Math.round(v * 10 ** digits) / 10 ** digits;

export const log = (message: string): void => {
  process.stderr.write(`${message}\n`);
};
