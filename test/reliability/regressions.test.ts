import { join } from 'node:path';
import { RehearsalSession } from '../../rehearsal/session';
import { synthesizedTemplates } from '../support/templates';
import { assertNoViolations, loadRegressions, runCase } from './cases';

/**
 * Every counterexample the fault-injection properties found, replayed as it was found: each
 * file names what went wrong in its description and, where useful, the results to expect.
 */
const REGRESSIONS = loadRegressions(join(__dirname, 'regressions'));

let session: RehearsalSession;
beforeAll(() => {
  session = new RehearsalSession(synthesizedTemplates());
});

describe('regression scenarios', () => {
  it('are each described in one line', () => {
    expect(REGRESSIONS.length).toBeGreaterThan(0);
    for (const [, file] of REGRESSIONS) expect(file.description).toMatch(/^[^\n]{20,300}$/);
  });

  it.each(REGRESSIONS)('%s keeps every invariant', async (_, file) => {
    const outcome = await runCase(session, file);
    assertNoViolations(file, outcome);
    (file.expect ?? []).forEach((expected, i) => expect(outcome.runs[i]?.result).toMatchObject(expected));
    (file.callsNotMade ?? []).forEach((calls, i) =>
      expect(Object.keys(outcome.runs[i]?.result.apiCalls ?? {}).filter((c) => calls.includes(c))).toEqual(
        [],
      ),
    );
  });
});
