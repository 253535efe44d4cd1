import { FROM_IMAGE_FACTORY } from '../../lambda/shared/environments';
import type { EnvironmentName } from '../../lambda/shared/environments';
import type { PRODUCT_EVENTS } from '../../lambda/shared/events';
import type { DownstreamEnvironment } from '../../lambda/shared/settings';
import { defaultBusArn, placeOf, sameBus } from './place';
import type { Place } from './place';

/**
 * The product's topology: who takes whose images, which product events cross to another account's
 * or region's bus, who may put them there, and where the image factory distributes its AMIs. A
 * pure function of the configuration: plain objects in, plain objects out; the stacks only compose
 * what it says.
 */

/** The part of the product configuration the topology depends on. */
export interface TopologyInput {
  readonly imageFactory: { readonly account?: string; readonly region?: string };
  /** In promotion order (as a validated product gives them). */
  readonly environments: readonly {
    readonly name: EnvironmentName;
    readonly account?: string;
    readonly region?: string;
    readonly promotion:
      | { readonly from: string }
      | {
          readonly from: string;
          readonly soakMinutes: number;
          readonly approval: 'automatic' | 'manual';
        };
  }[];
}

/** Product events a stack's rule forwards, unchanged, to one other account's or region's default bus. */
export interface Forward {
  /** Which of the product's events (`PRODUCT_EVENTS`). */
  readonly event: keyof typeof PRODUCT_EVENTS;
  /** The receiving default bus. */
  readonly bus: string;
  /** The stacks that read it there: environments' names, and `image-factory` for the factory. */
  readonly to: readonly string[];
}

/** What crosses a stack's bus boundary. */
export interface Routes {
  readonly place: Place;
  /** One per receiving bus: a bus shared by several receivers gets each event once. */
  readonly forwards: readonly Forward[];
  /** Accounts, other than its own, whose forwards its bus must admit (sorted). */
  readonly admits: readonly string[];
}

export interface EnvironmentTopology extends Routes {
  readonly name: EnvironmentName;
  /** The environment whose releases it takes; none when it takes the image factory's images. */
  readonly upstream?: { readonly environment: EnvironmentName; readonly place: Place };
  /** The environments that take its releases, and how, in promotion order. */
  readonly downstream: readonly DownstreamEnvironment[];
}

/** One region the image factory distributes each AMI to. */
export interface Distribution {
  readonly region: string;
  /** Accounts other than the factory's that launch the AMI in that region (sorted). */
  readonly accountIds: readonly string[];
}

export interface Topology {
  readonly imageFactory: Routes;
  /** In promotion order. */
  readonly environments: readonly EnvironmentTopology[];
  /**
   * Each region an environment runs in, with the accounts (other than the factory's) that launch
   * its AMIs there. None while no stack is pinned: the AMI is simply the factory's own.
   */
  readonly distribution: readonly Distribution[];
  /** Each environment's account; undefined where not pinned (the account every stack deploys to). */
  readonly accounts: Readonly<Record<EnvironmentName, string | undefined>>;
}

/** The topology of a product (see {@link Topology}). */
export function topologyOf(product: TopologyInput): Topology {
  const factory = placeOf(product.imageFactory);
  const places = new Map(product.environments.map((e) => [e.name, placeOf(e)]));
  const at = (name: string): Place => (name === FROM_IMAGE_FACTORY ? factory : (places.get(name) ?? {}));
  const environments = product.environments.map((e): EnvironmentTopology => {
    const here = at(e.name);
    const from = e.promotion.from === FROM_IMAGE_FACTORY ? undefined : e.promotion.from;
    const downstream = downstreamOf(e.name, product);
    // Its releases go to the environments that take them, and to the factory (which tags them).
    const releasesTo = [...downstream.map((d) => d.environment), FROM_IMAGE_FACTORY];
    // The factory announces every image to it; the environment upstream sends its releases.
    const senders = [factory, ...(from ? [at(from)] : [])];
    return {
      name: e.name,
      place: here,
      ...(from ? { upstream: { environment: from, place: at(from) } } : {}),
      downstream,
      forwards: forwardsFrom(here, 'imageReleased', releasesTo, at),
      admits: admitted(here, senders),
    };
  });
  return {
    imageFactory: {
      place: factory,
      forwards: forwardsFrom(
        factory,
        'imageAvailable',
        product.environments.map((e) => e.name),
        at,
      ),
      // Every environment sends its releases to the factory.
      admits: admitted(factory, [...places.values()]),
    },
    environments,
    distribution: distributionOf(factory, [...places.values()]),
    accounts: Object.fromEntries(product.environments.map((e) => [e.name, e.account])),
  };
}

/** The environments that take `name`'s releases, and how. */
function downstreamOf(name: EnvironmentName, product: TopologyInput): DownstreamEnvironment[] {
  return product.environments.flatMap((e) =>
    e.promotion.from === name && 'soakMinutes' in e.promotion
      ? [{ environment: e.name, soakMinutes: e.promotion.soakMinutes, approval: e.promotion.approval }]
      : [],
  );
}

/** `event` from `here` to each receiver on another bus, one forward per bus (receivers in order). */
function forwardsFrom(
  here: Place,
  event: Forward['event'],
  receivers: readonly string[],
  at: (name: string) => Place,
): Forward[] {
  const byBus = new Map<string, string[]>();
  for (const receiver of receivers) {
    const there = at(receiver);
    if (sameBus(there, here)) continue;
    const bus = defaultBusArn(there);
    byBus.set(bus, [...(byBus.get(bus) ?? []), receiver]);
  }
  return [...byBus].map(([bus, to]) => ({ event, bus, to }));
}

/**
 * The accounts a bus at `here` must admit: each sender's on another bus, except its own (within
 * an account, a forward from another region needs no bus policy: the forwarding role's own policy
 * allows it).
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-account.html
 */
function admitted(here: Place, senders: readonly Place[]): string[] {
  const accounts = senders.flatMap((s) =>
    !sameBus(s, here) && s.account && s.account !== here.account ? [s.account] : [],
  );
  return [...new Set(accounts)].sort();
}

function distributionOf(factory: Place, environments: readonly Place[]): Distribution[] {
  const byRegion = new Map<string, Set<string>>();
  for (const e of environments) {
    if (!e.region || !e.account) continue;
    const accounts = byRegion.get(e.region) ?? new Set<string>();
    if (e.account !== factory.account) accounts.add(e.account);
    byRegion.set(e.region, accounts);
  }
  return [...byRegion].map(([region, accounts]) => ({ region, accountIds: [...accounts].sort() }));
}
