import { EC2Client } from '@aws-sdk/client-ec2';
import { Ec2Images } from '../aws/ec2';
import { tagLineage } from '../factory/lineage';
import { logger } from '../runtime/handler';
import { checkAtColdStart, fromEnvironment } from '../runtime/env';
import { isEnvironmentName } from '../shared/environments';
import type { EnvironmentName } from '../shared/environments';

const clients = new Map<string, Ec2Images>();
const imagesIn = (region: string) => {
  let images = clients.get(region);
  if (!images) {
    images = new Ec2Images(new EC2Client({ region }));
    clients.set(region, images);
  }
  return images;
};
const deps = fromEnvironment(['ENVIRONMENT_ACCOUNTS'], (env) => {
  const parsed = JSON.parse(env.ENVIRONMENT_ACCOUNTS ?? '{}') as Record<string, unknown>;
  const accounts: Partial<Record<EnvironmentName, string>> = {};
  for (const [name, account] of Object.entries(parsed)) {
    if (!isEnvironmentName(name) || typeof account !== 'string' || !/^\d{12}$/.test(account))
      throw new Error(
        `ENVIRONMENT_ACCOUNTS must map environments to 12-digit accounts, got ${env.ENVIRONMENT_ACCOUNTS}`,
      );
    accounts[name] = account;
  }
  return { images: imagesIn, accounts };
});
checkAtColdStart(deps);

/** EventBridge → an environment released an image → the factory tags its AMIs (release time, rollback candidates). */
export const handler = async (event: unknown) => {
  // The event crosses a trust boundary: tagLineage parses it with its schema first.
  const result = await tagLineage(event, deps());
  logger.info('lineage tagged', { result });
  return result;
};
