import type { EnvironmentName } from '../../lambda/shared/environments';
import type { ProductConfig } from '../config';

/**
 * Where each stack of the product runs. Either every stack is pinned to an account and region
 * (the config refuses a mix), or none is: then they all deploy to one account and region, and
 * nothing needs to cross a boundary.
 */
export interface Placement {
  readonly account?: string;
  readonly region?: string;
}

/** The image factory's placement, and each environment's. */
export interface ProductPlacement {
  readonly imageFactory: Placement;
  readonly environments: Readonly<Partial<Record<EnvironmentName, Placement>>>;
}

export function placementOf(config: ProductConfig): ProductPlacement {
  const at = (c: { account?: string; region?: string }): Placement => ({
    ...(c.account ? { account: c.account } : {}),
    ...(c.region ? { region: c.region } : {}),
  });
  return {
    imageFactory: at(config.imageFactory),
    environments: Object.fromEntries(config.environments.map((e) => [e.name, at(e)])),
  };
}

/** Whether two stacks publish to the same event bus (the same account and region). */
export const sameBus = (a: Placement, b: Placement): boolean =>
  a.account === b.account && a.region === b.region;

/** The default event bus of a pinned placement. */
export const defaultBusArn = (p: Placement): string => {
  if (!p.account || !p.region) throw new Error('a bus in another account or region needs both pinned');
  return `arn:aws:events:${p.region}:${p.account}:event-bus/default`;
};
