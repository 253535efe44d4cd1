/**
 * What the process running a rehearsal needs before any handler module loads. The rehearse CLI,
 * the bench and jest's setup file call this first, then load the rehearsal:
 * - handlers log through Powertools at module load: keep their logs and metrics off stdout,
 *   which belongs to the rehearsal's own output (`--json` prints exactly one object);
 * - the handlers' SDK clients need a region (the simulated account's);
 * - aws-local-stepfunctions 3 calls Promise.withResolvers, which Node.js 20 lacks.
 * Each default yields to a value already set, so `POWERTOOLS_LOG_LEVEL=DEBUG` shows the logs.
 */
export function prepareRehearsalProcess(env: NodeJS.ProcessEnv = process.env): void {
  env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
  env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  env.AWS_REGION ??= 'eu-west-1';
  if (typeof (Promise as { withResolvers?: unknown }).withResolvers !== 'function') {
    Object.defineProperty(Promise, 'withResolvers', {
      configurable: true,
      writable: true,
      value: withResolvers,
    });
  }
}

/** Promise.withResolvers as ES2024 defines it. */
function withResolvers<T>() {
  let resolve!: (value: T | PromiseLike<T>) => void;
  let reject!: (reason?: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Refuses to run before `prepareRehearsalProcess`: without it the interpreter fails obscurely. */
export function assertRehearsalProcess(): void {
  if (typeof (Promise as { withResolvers?: unknown }).withResolvers !== 'function')
    throw new Error(
      'call prepareRehearsalProcess() before running a rehearsal (Promise.withResolvers is missing)',
    );
}
