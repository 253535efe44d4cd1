import fc from 'fast-check';
import { INPUT_FIELDS, rolloutInputSchema } from '../../lambda/shared/input-schema';
import { CAUSE_LIMIT, ledgerOf } from './invariants';
import { RehearsalSession } from '../../rehearsal/session';
import { synthesizedTemplates } from '../support/templates';
import { scenario } from '../rehearsal/support';
import { arbitraryInput, nearValidInput } from './input-arbitraries';
import type { BadInput } from './input-arbitraries';
import { propertyRuns } from '../support/properties';

/**
 * Whatever an execution is started with, a bad input is refused before any AWS call: the
 * execution fails InvalidInput, its cause names the offending field (within what Step Functions
 * carries), and nothing is called, locked, recorded or notified.
 */

let session: RehearsalSession;
beforeAll(() => {
  session = new RehearsalSession(synthesizedTemplates());
  session.rehearsal('dev');
});

/** A cause an operator reads whole in a notification: an eighth of what Step Functions carries. */
const READABLE = CAUSE_LIMIT / 8;

/** A field name as the cause starts an issue with it: `action …`, `"imgeId" is not …`, `input …`. */
const NAMED = new RegExp(`(^|; )(input|${INPUT_FIELDS.join('|')}|"[^"]*") `);

async function refused(bad: BadInput): Promise<void> {
  fc.pre(!rolloutInputSchema.safeParse(bad.input).success);
  const run = await session.rehearsal('dev').run(scenario({ input: bad.input }));
  const { status, error, cause = '', apiCalls } = run.result;
  expect({ mutation: bad.mutation, status, error }).toEqual({
    mutation: bad.mutation,
    status: 'FAILED',
    error: 'InvalidInput',
  });
  expect(cause).toMatch(NAMED);
  if (bad.names) expect(cause).toContain(bad.names);
  // short enough to read, and far within what Step Functions carries
  expect(cause.length).toBeLessThan(READABLE);
  // refused before any AWS call: nothing changed, locked, recorded or notified
  expect(apiCalls).toEqual({});
  expect(ledgerOf(run.simulator, session.rehearsal('dev').settings)).toEqual([]);
  expect(run.notifications).toEqual([]);
}

describe('execution input fuzzing', () => {
  it('refuses near-valid inputs with one thing wrong, naming it, before any AWS call', async () => {
    await fc.assert(fc.asyncProperty(nearValidInput, refused), propertyRuns());
  });

  it('refuses arbitrary JSON, naming a field, before any AWS call', async () => {
    await fc.assert(fc.asyncProperty(arbitraryInput, refused), propertyRuns());
  });
});
