import type { EnvironmentName } from '../lambda/shared/environments';
import type { CfnTemplate } from './deployment';
import { Rehearsal } from './runner';
import type { RehearsalRun } from './runner';
import { ScenarioError } from './scenario';
import type { NextExecutionInput, Scenario } from './scenario';

/**
 * What `npm run rehearse` runs: one synthesis (`synthesizeTemplates()`, kept apart so a session
 * on templates already at hand never loads the CDK), one compiled rehearsal per environment
 * (building one checks and rewrites the definition, up to a second), then any number of scenarios.
 */
export class RehearsalSession {
  private readonly rehearsals = new Map<EnvironmentName, Rehearsal>();

  /** @param templates each environment's synthesized template */
  constructor(private readonly templates: Record<EnvironmentName, CfnTemplate>) {}

  /** The environment's compiled rehearsal, built on first use. */
  rehearsal(environment: EnvironmentName): Rehearsal {
    let rehearsal = this.rehearsals.get(environment);
    if (!rehearsal) {
      rehearsal = Rehearsal.fromTemplate(environment, this.templateOf(environment, 'environment'));
      this.rehearsals.set(environment, rehearsal);
    }
    return rehearsal;
  }

  async run(scenario: Scenario): Promise<RehearsalRun> {
    // An image released in an environment the product does not have would seed nothing.
    for (const [imageId, image] of Object.entries(scenario.images))
      image.releasedIn?.forEach((env, i) => this.templateOf(env, `images.${imageId}.releasedIn.${i}`));
    return this.rehearsal(scenario.environment).run(scenario);
  }

  /** The environment's template, or a refusal naming the scenario's field and the product's environments. */
  private templateOf(environment: EnvironmentName, field: string): CfnTemplate {
    const template = Object.hasOwn(this.templates, environment) ? this.templates[environment] : undefined;
    if (!template)
      throw new ScenarioError(
        `${field}: ${environment} is not an environment of this product (${Object.keys(this.templates).join(', ')})`,
      );
    return template;
  }

  /** A fresh execution on the world `previous` left behind (see `Rehearsal.runAfter`). */
  runAfter(previous: RehearsalRun, next: NextExecutionInput): Promise<RehearsalRun> {
    return this.rehearsal(previous.scenario.environment).runAfter(previous, next);
  }
}
