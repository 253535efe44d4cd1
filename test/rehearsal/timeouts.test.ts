import type { RehearsalRun } from '../../rehearsal/runner';
import type { ScenarioInput } from '../../rehearsal/scenario';
import type { RehearsalSession } from '../../rehearsal/session';
import {
  canary,
  enteredAt,
  expectKnownEndState,
  fleetChanges,
  fleetRecordOf,
  ledgerOf,
  NEW,
  openSession,
  RELEASED,
  scenario,
} from './support';

/**
 * A function that runs out of time has acted, but its step hears only the timeout. The
 * rehearsal's `lambda-timeout` fault runs the handler to its end (every effect applied, the
 * worst case for a retry) and then reports `Sandbox.Timedout` once the function's timeout is up.
 */
let session: RehearsalSession;
beforeAll(() => {
  session = openSession();
});

const dev = () => session.rehearsal('dev');
const base: Partial<ScenarioInput> & Pick<ScenarioInput, 'input'> = { input: canary(NEW) };

/** A canary whose invocations time out, `count` of them, from the first of `state`. */
async function timingOut(state: string, count: number): Promise<RehearsalRun> {
  const clean = await dev().run(scenario(base));
  // Just after the state is entered: before its invocation asks whether to time out.
  const atSecond = enteredAt(clean, state) + 0.1;
  return dev().run(scenario({ ...base, faults: [{ kind: 'lambda-timeout', atSecond, count }] }));
}

const retried = (run: RehearsalRun, state: string) =>
  run.timeline.filter((e) => e.kind === 'retried' && e.state === state).length;

describe('a function that timed out after it acted', () => {
  it('is retried, and the canary it prepared runs on one launch-template version', async () => {
    const run = await timingOut('Prepare Canary Colour', 1);
    expect(retried(run, 'Prepare Canary Colour')).toBe(1);
    expect(run.result).toMatchObject({
      status: 'SUCCEEDED',
      live: { image: NEW, instancesByImage: { [NEW]: 4 } },
    });
    // asked twice, created once: the retry got the version the first attempt created
    expect(fleetChanges(run)).toMatchObject({ CreateLaunchTemplateVersion: 2, UpdateAutoScalingGroup: 2 });
    expect(fleetRecordOf(run, dev().settings)?.versions.green).toBe('2');
    // four canary instances launched, none thrown away by a second preparation
    const launched = (run.simulator.ec2.describeInstances({}).Reservations ?? [])
      .flatMap((r) => r.Instances ?? [])
      .filter((i) => i.Tags?.some((t) => t.Value === dev().settings.groups.green));
    expect(launched).toHaveLength(4);
    expectKnownEndState(run, dev());
  });

  it('is retried when it promoted the release: released once, one ledger entry', async () => {
    const run = await timingOut('Promote Release', 1);
    expect(retried(run, 'Promote Release')).toBe(1);
    expect(run.result).toMatchObject({ status: 'SUCCEEDED', live: { image: NEW } });
    expect(fleetRecordOf(run, dev().settings)).toMatchObject({ releasedImage: NEW, previousImage: RELEASED });
    expect(ledgerOf(run, dev().settings)).toEqual([expect.objectContaining({ status: 'SUCCEEDED' })]);
    expectKnownEndState(run, dev());
  });

  it('fails its step after two retries, into the compensation, and the ledger records the timeout', async () => {
    const run = await timingOut('Prepare Canary Colour', 3);
    expect(retried(run, 'Prepare Canary Colour')).toBe(2);
    expect(run.result).toMatchObject({
      status: 'FAILED',
      error: 'Sandbox.Timedout',
      live: { image: RELEASED, trafficByImage: { [RELEASED]: 100 }, instancesByImage: { [RELEASED]: 4 } },
    });
    expect(ledgerOf(run, dev().settings)).toEqual([
      expect.objectContaining({ status: 'FAILED', error: 'Sandbox.Timedout', toImage: NEW }),
    ]);
    // the canary colour the attempts scaled up is back at zero
    expectKnownEndState(run, dev());
  });
});
