import { EC2Client } from '@aws-sdk/client-ec2';
import { Ec2Images } from '../aws/ec2';
import { tagLineage } from '../factory/lineage';
import { ConfigurationError, deployedHandler, requiredJson } from '../runtime/composition';
import type { Composition, Variables } from '../runtime/composition';
import { logger } from '../runtime/handler';
import { isEnvironmentName } from '../shared/environments';
import type { EnvironmentName } from '../shared/environments';

export interface TagLineageConfig {
  /** The account each environment runs in: a release is believed only from its own. */
  readonly accounts: Readonly<Partial<Record<EnvironmentName, string>>>;
}

export function configure(variables: Variables): TagLineageConfig {
  const parsed = requiredJson(variables, 'ENVIRONMENT_ACCOUNTS');
  const accounts: Partial<Record<EnvironmentName, string>> = {};
  const wrong = () =>
    new ConfigurationError(
      `ENVIRONMENT_ACCOUNTS must map environments to 12-digit accounts, got ${variables.ENVIRONMENT_ACCOUNTS}`,
    );
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw wrong();
  for (const [name, account] of Object.entries(parsed)) {
    if (!isEnvironmentName(name) || typeof account !== 'string' || !/^\d{12}$/.test(account)) throw wrong();
    accounts[name] = account;
  }
  return { accounts };
}

/** The factory's EC2 clients, one per region its AMIs were copied to. */
export type RegionalEc2 = (region: string) => EC2Client;

/** EventBridge → an environment released an image → the factory tags its AMIs (release time, rollback candidates). */
export function create({ config, clients }: Composition<TagLineageConfig, { ec2In: RegionalEc2 }>) {
  const images = new Map<string, Ec2Images>();
  const imagesIn = (region: string) => {
    let found = images.get(region);
    if (!found) {
      found = new Ec2Images(clients.ec2In(region));
      images.set(region, found);
    }
    return found;
  };
  return async (event: unknown) => {
    // The event crosses a trust boundary: tagLineage parses it with its schema first.
    const result = await tagLineage(event, { images: imagesIn, accounts: config.accounts });
    logger.info('lineage tagged', { result });
    return result;
  };
}

export const handler = deployedHandler({ configure, create }, () => ({
  ec2In: (region: string) => new EC2Client({ region }),
}));
