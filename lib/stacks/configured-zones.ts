import type { NetworkConfig } from '../config';

/**
 * The availability zones a stack's network names, if it names them. A stack pinned to an account
 * and region answers `Stack.availabilityZones` with these instead of a context lookup (which needs
 * credentials at synth): a VPC given its zones still asks the stack for its own, to check them.
 * The configuration requires zones on every pinned stack.
 * @see https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.Stack.html#availabilityzones
 */
export function configuredZones(network: NetworkConfig): string[] | undefined {
  return network.availabilityZones ? [...network.availabilityZones] : undefined;
}
