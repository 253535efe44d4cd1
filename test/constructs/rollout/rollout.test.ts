/**
 * The rollout workflow in the shipped product's templates. Each concern keeps its own module
 * (*.suite.ts, beside this file and in state-machine/); they run here, in one test file, so they
 * share one build of the product's constructs (test/support/shipped-product.ts) and the templates
 * of the run's single synthesis: every test file loads the CDK afresh, about 3 s before it builds
 * anything. Each suite is loaded inside a describe named after it, which scopes its hooks and
 * names its tests: one suite alone is `npx jest test/constructs/rollout/rollout.test.ts -t ledger`.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- a suite loaded inside its describe */
describe('ledger', () => {
  require('./ledger.suite');
});
describe('metrics', () => {
  require('./metrics.suite');
});
describe('notifications', () => {
  require('./notifications.suite');
});
describe('rollout-functions', () => {
  require('./rollout-functions.suite');
});
describe('rollout-permissions', () => {
  require('./rollout-permissions.suite');
});
describe('rollout-workflow', () => {
  require('./rollout-workflow.suite');
});
describe('settings', () => {
  require('./settings.suite');
});
describe('triggers', () => {
  require('./triggers.suite');
});
describe('state-machine/definition', () => {
  require('./state-machine/definition.suite');
});
describe('state-machine/rollout-state-machine', () => {
  require('./state-machine/rollout-state-machine.suite');
});
