import { VirtualTime } from '../../rehearsal/virtual-time';

/** Virtual time over a clock that, like the simulated one, has millisecond resolution. */
function millisecondClock() {
  const clock = { ms: 0, jumps: 0 };
  const vt = new VirtualTime(
    () => clock.ms / 1000,
    (to) => {
      if (++clock.jumps > 100) throw new Error(`time is stuck at ${clock.ms} ms`);
      clock.ms = Math.trunc(to * 1000);
    },
  );
  return { vt, clock };
}

describe('VirtualTime on a millisecond clock', () => {
  it('fires a timer set between two milliseconds, once, without spinning', async () => {
    const { vt, clock } = millisecondClock();
    const fired: number[] = [];
    // 663.2 + 0.1: a fault scheduled just after a state's start, as tests compute it
    vt.at(663.2 + 0.1, () => fired.push(clock.ms));
    await vt.run(() => vt.sleep(700));
    expect(fired).toEqual([663_300]);
    expect(clock.jumps).toBeLessThan(5);
  });

  it('runs two sleepers and a timer in simulated-time order', async () => {
    const { vt, clock } = millisecondClock();
    const order: string[] = [];
    vt.at(5, () => order.push(`timer@${clock.ms}`));
    await Promise.all([
      vt.run(async () => {
        await vt.sleep(10);
        order.push(`a@${clock.ms}`);
      }),
      vt.run(async () => {
        await vt.sleep(2.5);
        order.push(`b@${clock.ms}`);
      }),
    ]);
    expect(order).toEqual(['b@2500', 'timer@5000', 'a@10000']);
  });
});
