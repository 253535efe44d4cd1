import type { EnvironmentName } from '../lambda/shared/environments';
import type { CfnTemplate } from './deployment';
import type { CompiledProduct } from './engine/product';
import { productOf, Rehearsal } from './runner';
import type { RehearsalRun } from './runner';
import { ScenarioError } from './scenario';
import type { NextExecutionInput, Scenario } from './scenario';
import type { ProductTemplates } from './synth';

/**
 * What `npm run rehearse` runs: one synthesis (`synthesizeProductTemplates()`, kept apart so a
 * session on templates already at hand never loads the CDK), each environment's stack compiled
 * once on first use (its state machines checked and rewritten, up to a second each), then any
 * number of scenarios.
 */
export class RehearsalSession {
  private readonly rehearsals = new Map<EnvironmentName, Rehearsal>();
  readonly product: CompiledProduct;

  /** @param templates the product's templates (with where each stack is pinned), or each environment's alone */
  constructor(templates: ProductTemplates | Record<string, CfnTemplate>) {
    this.product = productOf(templates);
  }

  /** The environment's rehearsal, built on first use. */
  rehearsal(environment: EnvironmentName): Rehearsal {
    let rehearsal = this.rehearsals.get(environment);
    if (!rehearsal) {
      if (!this.product.has(environment))
        throw new ScenarioError(
          `environment: ${environment} is not an environment of this product (${this.product.environments().join(', ')})`,
        );
      rehearsal = new Rehearsal(environment, this.product);
      this.rehearsals.set(environment, rehearsal);
    }
    return rehearsal;
  }

  async run(scenario: Scenario): Promise<RehearsalRun> {
    // An image released in an environment the product does not have would seed nothing.
    for (const [imageId, image] of Object.entries(scenario.images))
      image.releasedIn?.forEach((env, i) => {
        if (!this.product.has(env))
          throw new ScenarioError(
            `images.${imageId}.releasedIn.${i}: ${env} is not an environment of this product (${this.product.environments().join(', ')})`,
          );
      });
    return this.rehearsal(scenario.environment).run(scenario);
  }

  /** A fresh execution on the world `previous` left behind (see `Rehearsal.runAfter`). */
  runAfter(previous: RehearsalRun, next: NextExecutionInput): Promise<RehearsalRun> {
    return this.rehearsal(previous.scenario.environment).runAfter(previous, next);
  }
}
