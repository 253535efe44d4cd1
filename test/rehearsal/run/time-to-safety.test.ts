import { timeToSafetySeconds } from '../../../rehearsal/run/time-to-safety';
import type { SimSnapshot } from '../../../rehearsal/simulator';

const settings = { alarms: { blue: ['blue-5xx'], green: ['green-5xx', 'green-latency'] } };

/** A snapshot with only what the measure reads. */
const at = (t: number, green: number, alarms: Record<string, string> = {}): SimSnapshot =>
  ({ t, weights: { blue: 100 - green, green }, alarms }) as unknown as SimSnapshot;

describe('timeToSafetySeconds', () => {
  it('counts from the first canary alarm in ALARM to no traffic on the canary', () => {
    const samples = [
      at(0, 0),
      at(100, 10),
      at(130, 10, { 'green-latency': 'ALARM' }),
      at(150, 10, { 'green-latency': 'ALARM' }),
      at(161.4, 0, { 'green-latency': 'ALARM' }),
    ];
    expect(timeToSafetySeconds(samples, settings)).toBe(31);
  });

  it('ignores an alarm of the canary colour while it carried no traffic, and the live colour’s alarms', () => {
    const samples = [at(0, 0, { 'green-5xx': 'ALARM' }), at(50, 10, { 'blue-5xx': 'ALARM' }), at(90, 0)];
    expect(timeToSafetySeconds(samples, settings)).toBeNull();
  });

  it('is null when traffic never left the canary, or when there was no canary to tell', () => {
    expect(timeToSafetySeconds([at(0, 0), at(10, 50, { 'green-5xx': 'ALARM' })], settings)).toBeNull();
    expect(timeToSafetySeconds([at(0, 50), at(10, 50, { 'green-5xx': 'ALARM' })], settings)).toBeNull();
    expect(timeToSafetySeconds([], settings)).toBeNull();
  });

  it('takes blue as the canary when blue starts idle', () => {
    const samples = [at(0, 100), at(10, 90, { 'blue-5xx': 'ALARM' }), at(40, 100, { 'blue-5xx': 'ALARM' })];
    expect(timeToSafetySeconds(samples, settings)).toBe(30);
  });
});
