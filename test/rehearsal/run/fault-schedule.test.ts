import { scheduleFaults } from '../../../rehearsal/run/fault-schedule';
import type { Scenario } from '../../../rehearsal/scenario';
import { FleetSimulator } from '../../../rehearsal/simulator';
import { VirtualTime } from '../../../rehearsal/virtual-time';
import { world } from '../simulator/fixtures';

/** Virtual time over a world, as a run drives it; `t` counts from the run's start. */
function timeOn(sim: FleetSimulator) {
  const start = sim.snapshot().t;
  return new VirtualTime(
    () => sim.snapshot().t - start,
    (to) => sim.advance(start + to - sim.snapshot().t),
  );
}

describe('fault schedule', () => {
  it('gives Lambda errors from their second of the run, one invocation each', async () => {
    const sim = new FleetSimulator(world());
    const vt = timeOn(sim);
    const faults: Scenario['faults'] = [{ kind: 'lambda-error', atSecond: 10, count: 2 }];
    const schedule = scheduleFaults(faults, { sim, vt, worldSecondsAtStart: 0 });
    expect(schedule.takeLambdaError()).toBe(false);
    await vt.idle();
    expect(sim.snapshot().t).toBe(10);
    expect([schedule.takeLambdaError(), schedule.takeLambdaError(), schedule.takeLambdaError()]).toEqual([
      true,
      true,
      false,
    ]);
  });

  it('gives function timeouts from their second of the run, one invocation each, apart from errors', async () => {
    const sim = new FleetSimulator(world());
    const vt = timeOn(sim);
    const faults: Scenario['faults'] = [
      { kind: 'lambda-timeout', atSecond: 10, count: 1 },
      { kind: 'lambda-error', atSecond: 10, count: 1 },
    ];
    const schedule = scheduleFaults(faults, { sim, vt, worldSecondsAtStart: 0 });
    expect(schedule.takeLambdaTimeout()).toBe(false);
    await vt.idle();
    expect([schedule.takeLambdaTimeout(), schedule.takeLambdaTimeout()]).toEqual([true, false]);
    expect(schedule.takeLambdaError()).toBe(true);
  });

  it('throttles the next calls from their second of the run', async () => {
    const sim = new FleetSimulator(world());
    const vt = timeOn(sim);
    scheduleFaults([{ kind: 'throttle', atSecond: 5, calls: 1 }], { sim, vt, worldSecondsAtStart: 0 });
    const call = () => sim.call('ssm', 'GetParameter', () => 'answered');
    expect(call()).toBe('answered');
    await vt.idle();
    expect(call).toThrow(expect.objectContaining({ name: 'ThrottlingException' }) as Error);
    expect(call()).toBe('answered');
  });

  it("times an alarm on the world's clock, from where this run begins on it", () => {
    const sim = new FleetSimulator(world());
    sim.advance(600);
    const alarm = () => sim.snapshot().alarms['immutable-dev-blue-5xx'];
    const faults: Scenario['faults'] = [{ kind: 'alarm', atSecond: 60, alarm: '5xx', durationSeconds: 120 }];
    scheduleFaults(faults, { sim, vt: timeOn(sim), worldSecondsAtStart: 600 });
    sim.advance(59);
    expect(alarm()).toBe('OK');
    sim.advance(1);
    expect(alarm()).toBe('ALARM');
    sim.advance(120);
    expect(alarm()).toBe('OK');
  });

  it('passes on the stop and the second execution for the run to act on', () => {
    const sim = new FleetSimulator(world());
    const faults: Scenario['faults'] = [
      { kind: 'stop', atTransition: 5 },
      { kind: 'second-execution', atSecond: 30, input: { action: 'phoenix' } },
    ];
    const schedule = scheduleFaults(faults, { sim, vt: timeOn(sim), worldSecondsAtStart: 0 });
    expect(schedule.stopAtTransition).toBe(5);
    expect(schedule.secondExecution).toEqual({ atSecond: 30, input: { action: 'phoenix' } });
  });

  it("regresses an image on the world's clock: from the run's start on it, plus atSecond", () => {
    const sim = new FleetSimulator(world());
    sim.advance(100);
    const spy = jest.spyOn(sim, 'regressImage');
    const faults: Scenario['faults'] = [
      { kind: 'regression', atSecond: 30, imageId: 'ami-0bbbbbbbbbbbbbbbb', p99LatencyMs: 3000 },
    ];
    scheduleFaults(faults, { sim, vt: timeOn(sim), worldSecondsAtStart: 100 });
    expect(spy).toHaveBeenCalledWith('ami-0bbbbbbbbbbbbbbbb', 130, { p99LatencyMs: 3000 });
  });
});
