import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { ImmutableFleet } from '../../../lib/constructs/fleet';
import type { ImmutableFleetProps } from '../../../lib/constructs/fleet';
import { bareStack } from '../../support/bare-stack';
import { configOf } from '../../support/synth';
import { fleetProps } from './fleet-stack';

function build(mutate: (props: { -readonly [K in keyof ImmutableFleetProps]: any }) => void) {
  const stack = bareStack();
  // The application's port and health path come from the image factory, as the stack passes them.
  const props = fleetProps(configOf('prod'), new ec2.Vpc(stack, 'Vpc'));
  mutate(props);
  return () => new ImmutableFleet(stack, 'Fleet', props);
}

describe('ImmutableFleet props validation', () => {
  it('accepts a configured environment', () => {
    expect(build(() => undefined)).not.toThrow();
  });

  it('fails when desired capacity exceeds max, naming the environment, field and value', () => {
    expect(build((p) => (p.capacity = { min: 1, desired: 9, max: 4 }))).toThrow(
      'ImmutableFleet(prod) capacity.desired must be <= capacity.max (4), got 9',
    );
  });

  it('fails when min capacity exceeds desired', () => {
    expect(build((p) => (p.capacity = { min: 5, desired: 4, max: 8 }))).toThrow(
      'ImmutableFleet(prod) capacity.min must be <= capacity.desired (4), got 5',
    );
  });

  it('fails when a capacity is not a whole number', () => {
    expect(build((p) => (p.capacity = { min: 1, desired: 2.5, max: 8 }))).toThrow(
      'ImmutableFleet(prod) capacity.desired must be a whole number >= 0, got 2.5',
    );
  });

  it('fails when the application port could not be served', () => {
    expect(build((p) => (p.appPort = 0))).toThrow(
      'ImmutableFleet(prod) appPort must be a whole number 1-65535, got 0',
    );
  });

  it('fails when the application name could not name its log file', () => {
    expect(build((p) => (p.appName = 'Web App'))).toThrow(
      'ImmutableFleet(prod) appName must be 2-41 lower-case letters, digits and dashes, starting with a letter, got "Web App"',
    );
  });

  it('fails when the health check path is not absolute', () => {
    expect(build((p) => (p.healthCheckPath = 'health'))).toThrow(
      'ImmutableFleet(prod) healthCheckPath must be an absolute path such as /health, got "health"',
    );
  });

  it('accepts prod without a certificate: HTTPS-only prod is the configuration’s policy, not the fleet’s', () => {
    expect(build((p) => (p.loadBalancer = { ...p.loadBalancer, certificateArn: undefined }))).not.toThrow();
  });
});
