import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { holdProcessFakes, refuseWhileFaked } from '../../../rehearsal/run/process-fakes';
import { FleetSimulator } from '../../../rehearsal/simulator';
import { world } from '../simulator/fixtures';
import { clients, rejection } from '../simulator/harness';

const START = Date.parse('2030-01-01T00:00:00Z');

describe('process-wide fakes', () => {
  it('fake Date and route the SDK clients to the holding run until it releases them', async () => {
    const sim = new FleetSimulator(world());
    const fakes = holdProcessFakes('run A', sim, START);
    try {
      expect(Date.now()).toBe(START);
      fakes.setNow(START + 5000);
      expect(new Date().toISOString()).toBe('2030-01-01T00:00:05.000Z');
      await clients.ssm.send(new GetParameterCommand({ Name: '/immutable/dev/released-ami' }));
      expect(sim.apiCalls.GetParameter).toBe(1);
    } finally {
      fakes.release();
    }
    expect(Date.now()).toBeLessThan(START);
  });

  it('fails when a second run takes them while the first holds them, naming both', () => {
    const first = holdProcessFakes('run A', new FleetSimulator(world()), START);
    try {
      expect(() => holdProcessFakes('run B', new FleetSimulator(world()), START)).toThrow(
        "cannot start run B: run A is still running in this process and holds its process-wide fakes (Date and the AWS SDK clients' send)",
      );
      expect(() => refuseWhileFaked('run C')).toThrow('cannot start run C: run A is still running');
      // the first run's fakes are untouched by the refusal
      expect(Date.now()).toBe(START);
    } finally {
      first.release();
    }
  });

  it('can be taken again once released', async () => {
    holdProcessFakes('run A', new FleetSimulator(world()), START).release();
    expect(() => refuseWhileFaked('run B')).not.toThrow();
    const sim = new FleetSimulator(world());
    const second = holdProcessFakes('run B', sim, START);
    try {
      const error = await rejection(clients.ssm.send(new GetParameterCommand({ Name: '/nope' })));
      expect(error.name).toBe('ParameterNotFound');
    } finally {
      second.release();
    }
  });
});
