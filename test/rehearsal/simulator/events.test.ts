import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { FleetSimulator } from '../../../rehearsal/simulator';
import { clients, rejection, simulate } from './harness';

let sim: FleetSimulator;
let uninstall: () => void;
beforeEach(() => ({ sim, uninstall } = simulate()));
afterEach(() => uninstall());

const entry = (o: Record<string, unknown> = {}) => ({
  Source: 'immutable.rollout',
  DetailType: 'Image Released',
  Detail: JSON.stringify({ environment: 'dev' }),
  ...o,
});

describe('EventBridge PutEvents', () => {
  it('keeps each accepted event as a rule would see it, in the account and region, at the simulated time', async () => {
    const out = await clients.events.send(new PutEventsCommand({ Entries: [entry()] }));
    expect(out).toMatchObject({ FailedEntryCount: 0, Entries: [{ EventId: 'rehearsal-event-1' }] });
    expect(sim.events.events).toEqual([
      {
        id: 'rehearsal-event-1',
        source: 'immutable.rollout',
        'detail-type': 'Image Released',
        account: '123456789012',
        region: 'eu-west-1',
        time: sim.now().toISOString(),
        resources: [],
        detail: { environment: 'dev' },
      },
    ]);
    expect(sim.apiCalls.PutEvents).toBe(1);
  });

  it('refuses an entry, in the response (not the call), whose detail is not a JSON object', async () => {
    const out = await clients.events.send(
      new PutEventsCommand({ Entries: [entry({ Detail: '[1]' }), entry({ Detail: 'not json' }), entry()] }),
    );
    expect(out.FailedEntryCount).toBe(2);
    expect(out.Entries?.map((e) => e.ErrorCode ?? 'ok')).toEqual([
      'MalformedDetail',
      'MalformedDetail',
      'ok',
    ]);
    expect(sim.events.events).toHaveLength(1);
  });

  it('refuses a call with no entries or more than ten', async () => {
    expect((await rejection(clients.events.send(new PutEventsCommand({ Entries: [] })))).name).toBe(
      'ValidationException',
    );
    const eleven = Array.from({ length: 11 }, () => entry());
    expect((await rejection(clients.events.send(new PutEventsCommand({ Entries: eleven })))).name).toBe(
      'ValidationException',
    );
  });

  it('fails loudly for a bus it does not simulate', async () => {
    const e = await rejection(
      clients.events.send(new PutEventsCommand({ Entries: [entry({ EventBusName: 'custom' })] })),
    );
    expect(e.message).toContain('PutEvents to the bus custom is not simulated');
  });
});
