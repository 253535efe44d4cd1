import { CompiledProduct } from '../../../rehearsal/engine/product';
import { productTemplates, SHIPPED_ENVIRONMENTS as ENVIRONMENT_NAMES } from '../../support/templates';

/**
 * The ledger table has no fixed name (a re-created stack gets a table of its own), so each
 * environment's workflow finds it by the name CloudFormation generates from its stack: in a
 * train's one simulated account, every environment has its own.
 */
describe("a train's ledger tables", () => {
  const product = new CompiledProduct(productTemplates());
  const tables = ENVIRONMENT_NAMES.map((env) => [env, product.stack(env).deployed.settings.table] as const);

  it.each(tables)("%s's workflow uses the table generated for its own stack", (env, table) => {
    expect(table).toMatch(new RegExp(`^immutable-${env}-RolloutLedger\\w+$`));
  });

  it('gives every environment a table of its own', () => {
    expect(new Set(tables.map(([, table]) => table)).size).toBe(ENVIRONMENT_NAMES.length);
  });
});
