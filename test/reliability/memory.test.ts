import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { RehearsalSession } from '../../rehearsal/session';
import { synthesizedTemplates } from '../support/templates';
import { canary, NEW, scenario } from '../rehearsal/support';

/**
 * The properties rehearse thousands of runs in one process: a finished run must leave nothing
 * that keeps its simulated world alive (the SDK stubs once did, about 1 MB a run).
 */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let session: RehearsalSession;
beforeAll(() => {
  session = new RehearsalSession(synthesizedTemplates());
});

/** Lets the current job end (a WeakRef holds its target until then), then collects. */
async function collect(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    gc();
  }
}

describe('memory', () => {
  it('finished runs do not pile up: dropped results let their worlds go', async () => {
    const worlds: Array<WeakRef<object>> = [];
    for (let i = 0; i < 5; i++) {
      const run = await session.rehearsal('dev').run(scenario({ input: canary(NEW) }));
      worlds.push(new WeakRef(run.simulator));
    }
    await collect();
    // The latest run may still be referenced until the next one starts; no older one may be.
    expect(worlds.slice(0, -1).filter((w) => w.deref() !== undefined)).toHaveLength(0);
  });
});
