import type { EnvironmentName } from '../lambda/shared/environments';
import type { CfnTemplate } from './deployment';
import { Rehearsal } from './runner';
import type { RehearsalRun } from './runner';
import type { NextExecutionInput, Scenario } from './scenario';
import { synthesizeTemplates } from './synth';

/**
 * What `npm run rehearse` runs: one synthesis, one compiled rehearsal per environment (building
 * one checks and rewrites the definition, up to a second), then any number of scenarios.
 */
export class RehearsalSession {
  private readonly rehearsals = new Map<EnvironmentName, Rehearsal>();

  /** @param templates each environment's synthesized template */
  constructor(private readonly templates: Record<EnvironmentName, CfnTemplate>) {}

  /** Synthesize the app in-process (no bundling) and open a session on its templates. */
  static synthesize(): RehearsalSession {
    return new RehearsalSession(synthesizeTemplates());
  }

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
