/**
 * What the process running a rehearsal needs before any handler module loads. The rehearse CLI,
 * the bench and jest's setup file call this first, then load the rehearsal:
 * - handlers log through Powertools at module load: keep their logs and metrics off stdout,
 *   which belongs to the rehearsal's own output (`--json` prints exactly one object);
 * - the handlers' SDK clients need a region (the simulated account's).
 * Each default yields to a value already set, so `POWERTOOLS_LOG_LEVEL=DEBUG` shows the logs.
 */
export function prepareRehearsalProcess(env: NodeJS.ProcessEnv = process.env): void {
  assertRehearsalProcess();
  env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
  env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  env.AWS_REGION ??= 'eu-west-1';
}

/** The oldest Node.js major version the rehearsal runs on (aws-local-stepfunctions 3 needs 22). */
const MINIMUM_NODE_MAJOR = 22;

/**
 * Refuses an older Node.js than the interpreter needs, saying how to get the right one: `npm run`
 * and `npx` put the project's own Node.js (package.json's optional `node-linux-*` dependency) first.
 */
export function assertRehearsalProcess(version: string = process.versions.node): void {
  const major = Number(version.split('.')[0]);
  if (major < MINIMUM_NODE_MAJOR)
    throw new Error(
      `the rehearsal needs Node.js ${MINIMUM_NODE_MAJOR} or later, running on ${version}: ` +
        'start it through npm (npm run rehearse, npm test), which uses the Node.js 24 npm ci installed, ' +
        'or install Node.js 24',
    );
}
