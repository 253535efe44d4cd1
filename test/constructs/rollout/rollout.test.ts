/**
 * The rollout workflow in the shipped product's templates. Each concern keeps its own module
 * (*.suite.ts, beside this file and in state-machine/); they run here, in one test file, so they
 * share one build of the product's constructs (test/support/shipped-product.ts) and the templates
 * of the run's single synthesis: every test file loads the CDK afresh, about 3 s before it builds
 * anything. One concern alone: `npx jest test/constructs/rollout/rollout.test.ts -t '<describe>'`.
 */
import './ledger.suite';
import './metrics.suite';
import './notifications.suite';
import './rollout-functions.suite';
import './rollout-permissions.suite';
import './rollout-workflow.suite';
import './settings.suite';
import './triggers.suite';
import './state-machine/definition.suite';
import './state-machine/rollout-state-machine.suite';
