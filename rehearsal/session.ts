import type { EnvironmentName } from '../lambda/shared/environments';
import type { CfnTemplate } from './deployment';
import { Rehearsal } from './runner';
import type { RehearsalRun } from './runner';
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
      rehearsal = Rehearsal.fromTemplate(environment, this.templates[environment]);
      this.rehearsals.set(environment, rehearsal);
    }
    return rehearsal;
  }

  run(scenario: Scenario): Promise<RehearsalRun> {
    return this.rehearsal(scenario.environment).run(scenario);
  }

  /** A fresh execution on the world `previous` left behind (see `Rehearsal.runAfter`). */
  runAfter(previous: RehearsalRun, next: NextExecutionInput): Promise<RehearsalRun> {
    return this.rehearsal(previous.scenario.environment).runAfter(previous, next);
  }
}
