/**
 * Process setup the rehearsal needs before anything else loads (import this module first):
 * - handlers log through Powertools at module load: keep their logs and metrics off stdout,
 *   which belongs to the rehearsal's own output (`--json` prints exactly one object);
 * - aws-local-stepfunctions 3 calls Promise.withResolvers, which Node.js 20 lacks.
 */
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.AWS_REGION ??= 'eu-west-1';

if (typeof (Promise as { withResolvers?: unknown }).withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers<T>() {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

export {};
