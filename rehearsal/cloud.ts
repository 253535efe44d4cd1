import { AccountRegion } from './simulator/account-region';
import { FleetSimulator } from './simulator/fleet-simulator';
import { ImageCatalog } from './simulator/image-catalog';
import { simulatedClients } from './simulator/sdk-routes';
import type { SimulatedClients, StubTarget } from './simulator/sdk-routes';
import type { SimWorldSpec } from './simulator/types';

/**
 * The simulated AWS a rehearsal runs in: accounts and regions as moto keys its backends, each an
 * AccountRegion with its shared services and the fleets deployed there, every region's AMIs in
 * one catalog for all its accounts, and one clock. Each stack's resources live where the stack is
 * pinned; every function's calls reach its own account and region.
 */
export class SimulatedCloud {
  /** Seconds since `startTime`. */
  t = 0;
  private readonly places = new Map<string, AccountRegion>();
  private readonly catalogs = new Map<string, ImageCatalog>();
  private readonly fleetList: FleetSimulator[] = [];

  constructor(readonly startTime: Date) {}

  now(): Date {
    return this.dateAt(this.t);
  }

  dateAt(t: number): Date {
    return new Date(this.startTime.getTime() + t * 1000);
  }

  /** The account's services in the region (made on first use, as an account can use any region). */
  place(accountId: string, region: string): AccountRegion {
    const key = `${accountId}/${region}`;
    let place = this.places.get(key);
    if (!place) {
      place = new AccountRegion(accountId, region, this, this.catalog(region));
      this.places.set(key, place);
    }
    return place;
  }

  /** Every account and region used so far. */
  allPlaces(): AccountRegion[] {
    return [...this.places.values()];
  }

  /** The region's AMIs, shared by its accounts. */
  catalog(region: string): ImageCatalog {
    let catalog = this.catalogs.get(region);
    if (!catalog) {
      catalog = new ImageCatalog();
      this.catalogs.set(region, catalog);
    }
    return catalog;
  }

  /** A fleet deployed where its spec says, on this cloud's clock. */
  addFleet(spec: SimWorldSpec): FleetSimulator {
    if (spec.startTime.getTime() !== this.startTime.getTime())
      throw new Error('a fleet of the cloud starts on its clock: the spec has another start time');
    const fleet = new FleetSimulator(spec, this.place(spec.accountId, spec.region));
    this.fleetList.push(fleet);
    return fleet;
  }

  /** Moves every fleet's physics and the clock `seconds` forward. */
  advance(seconds: number): void {
    if (!(seconds > 0)) return;
    for (const fleet of this.fleetList) fleet.advance(seconds);
    this.t += seconds;
  }

  /**
   * SDK clients of an account in a region, answered by this cloud (`ec2In` reaches the same
   * account in another region); `wrap` lets the caller see or answer some calls itself.
   */
  clients(
    accountId: string,
    region: string,
    wrap: (place: AccountRegion) => StubTarget = (p) => p,
  ): SimulatedClients {
    return simulatedClients(region, (r) => wrap(this.place(accountId, r)));
  }
}
