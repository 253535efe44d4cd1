import { RehearsalSession } from '../../rehearsal/session';
import { synthesizedTemplates } from '../support/templates';
import { canary, fleetChanges, NEW, RELEASED, scenario } from './support';

/**
 * Only the image factory's images run, scanned under the environment's own threshold: what a
 * canary of anything else does on the deployed state machine with the real handlers.
 */
let session: RehearsalSession;
beforeAll(() => {
  session = new RehearsalSession(synthesizedTemplates());
});

const withImage = (environment: 'dev' | 'prod', image: Record<string, unknown>) =>
  scenario({
    environment,
    input: canary(NEW),
    images: { [NEW]: { releasedIn: ['dev', 'staging'], ...image } },
  });

describe('a canary of an image this environment does not trust', () => {
  it.each([
    [
      'a public image of another account',
      'ImageNotTrusted',
      'is owned by 137112412989',
      { owner: '137112412989' },
    ],
    [
      'an own image the factory did not build',
      'ImageNotTrusted',
      'was not announced by the image factory',
      { fromFactory: false },
    ],
    [
      'an image whose scan never completed',
      'ImageNotScanned',
      'was not scanned',
      { findings: { scanned: false } },
    ],
  ])(
    '%s ends FAILED with %s, no fleet-changing call, the fleet on its release',
    async (_, error, cause, image) => {
      const run = await session.rehearsal('dev').run(withImage('dev', image));
      expect(run.result).toMatchObject({
        status: 'FAILED',
        error,
        instancesReplaced: 0,
        live: { image: RELEASED, weights: { blue: 100, green: 0 } },
      });
      expect(run.result.cause).toContain(cause);
      expect(fleetChanges(run)).toEqual({});
    },
  );

  it("judges findings at the environment's own threshold: dev takes a HIGH finding, prod does not", async () => {
    const high = { findings: { scanned: true, high: 1 } };
    const dev = await session.rehearsal('dev').run(withImage('dev', high));
    expect(dev.result).toMatchObject({ status: 'SUCCEEDED', live: { image: NEW } });
    const prod = await session.rehearsal('prod').run(withImage('prod', high));
    expect(prod.result).toMatchObject({
      status: 'FAILED',
      error: 'ImageNotScanned',
      live: { image: RELEASED },
    });
    expect(prod.result.cause).toContain('has 1 findings at or above HIGH, which prod refuses');
    expect(fleetChanges(prod)).toEqual({});
  });
});
