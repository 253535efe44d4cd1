import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkRun, initialWorld, worldAfter } from './invariants';
import type { Violation, WorldBefore } from './invariants';
import type { RehearsalRun } from '../../rehearsal/runner';
import { parseScenario } from '../../rehearsal/scenario';
import type { NextExecutionInput, ScenarioInput } from '../../rehearsal/scenario';
import type { RehearsalSession } from '../../rehearsal/session';

/**
 * A reliability case: a scenario, then the fresh executions started on the world it left
 * (after a stop, for instance). The fault-injection properties generate these, and every
 * counterexample they found is kept as one, in a JSON file under regressions/.
 */
export interface Case {
  readonly scenario: ScenarioInput;
  readonly then?: readonly NextExecutionInput[];
}

/** A counterexample kept as a regression: the case and one line saying what went wrong. */
export interface RegressionFile extends Case {
  readonly description: string;
  /** What each run's result must contain (a `toMatchObject` pattern per run, in order). */
  readonly expect?: ReadonlyArray<Record<string, unknown>>;
  /** AWS calls each run must not make (per run, in order). */
  readonly callsNotMade?: ReadonlyArray<readonly string[]>;
}

export interface CaseOutcome {
  readonly runs: RehearsalRun[];
  readonly violations: Violation[];
}

/**
 * Run a case and check every invariant on every run. When the last run leaves the lock with a
 * stopped execution (its lock step finished after the stop, and after the lock janitor), one
 * more execution starts the second that lock expires, and must get through: a stopped execution
 * never blocks the fleet beyond its lock's expiry.
 */
export async function runCase(session: RehearsalSession, c: Case): Promise<CaseOutcome> {
  const scenario = parseScenario(c.scenario);
  const rehearsal = session.rehearsal(scenario.environment);
  const settings = rehearsal.settings;
  const options = {
    retryBudget: rehearsal.fewestRetries,
    timeoutRetryBudget: rehearsal.fewestTimeoutRetries,
  };
  const runs: RehearsalRun[] = [];
  const violations: Violation[] = [];
  let before: WorldBefore = initialWorld(scenario, settings);
  const check = (run: RehearsalRun) => {
    runs.push(run);
    violations.push(...checkRun(run, settings, before, options).map((v) => at(runs.length, v)));
    before = worldAfter(run, settings, before);
  };
  check(await session.run(scenario));
  for (const next of c.then ?? []) check(await session.runAfter(last(runs), next));
  const stale = before.lock;
  if (stale) {
    const afterSeconds = Math.max(0, stale.expiresAt - Math.floor(before.now / 1000)) + 1;
    check(await session.runAfter(last(runs), { afterSeconds, input: { action: 'restore' } }));
    const refused = last(runs).result;
    if (refused.status !== 'SUCCEEDED')
      violations.push({
        invariant: 'outcome',
        message: `run ${runs.length}: a restore started once ${stale.owner}'s lock expired ended ${refused.status} ${refused.error ?? ''}: ${refused.cause ?? ''}`,
      });
  }
  return { runs, violations };
}

/** Fails, listing every violation and the case as a regression file would hold it. */
export function assertNoViolations(c: Case, outcome: CaseOutcome): void {
  if (outcome.violations.length === 0) return;
  const lines = outcome.violations.map((v) => `- [${v.invariant}] ${v.message}`);
  const results = outcome.runs.map(
    (r, i) =>
      `run ${i + 1}: ${r.result.status} ${r.result.error ?? ''} ${r.result.cause ?? ''}`.trim() +
      (r.result.secondExecution ? ` | second: ${JSON.stringify(r.result.secondExecution)}` : ''),
  );
  throw new Error(
    `${outcome.violations.length} invariant violation(s):\n${lines.join('\n')}\n${results.join('\n')}\n` +
      `case: ${JSON.stringify(c)}`,
  );
}

const last = (runs: RehearsalRun[]) => runs[runs.length - 1] as RehearsalRun;
const at = (run: number, v: Violation): Violation => ({ ...v, message: `run ${run}: ${v.message}` });

/** Every regression file, by file name. */
export function loadRegressions(dir: string): Array<[string, RegressionFile]> {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => [f, JSON.parse(readFileSync(join(dir, f), 'utf8')) as RegressionFile]);
}
