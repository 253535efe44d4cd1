import { AsyncLocalStorage } from 'node:async_hooks';
import type { EnvironmentName } from '../../lambda/shared/environments';
import { installSdkStubs } from '../simulator/sdk-stubs';
import type { StubTarget } from '../simulator/sdk-stubs';
import type { SimService } from '../simulator/errors';
import type { FleetSimulator } from '../simulator';
import type { EventsService } from '../simulator/services/events';
import type { StepFunctionsApi } from '../simulator/services/step-functions';

/** Where a function runs: an environment's stack, or the image factory's. */
export type Place = EnvironmentName | 'image-factory';

/**
 * The one simulated account a train runs in. Each environment's fleet, table, parameters and
 * topic live in that environment's world; the bus, Step Functions and the image factory's
 * records are the account's. An AWS call goes to the world of the function making it: every
 * invocation runs `within` its place, and the place follows the call through every await.
 * (The image factory's own calls, tagging AMIs, go to the first environment's world, which
 * holds the account's Image Builder records.)
 */
export class TrainAccount implements StubTarget {
  private readonly place = new AsyncLocalStorage<Place>();

  constructor(
    private readonly worlds: ReadonlyMap<EnvironmentName, FleetSimulator>,
    private readonly factoryWorld: FleetSimulator,
    readonly events: EventsService,
    readonly sfn: StepFunctionsApi,
  ) {}

  /** Runs `body` as a function of `place` runs: its AWS calls reach that place's world. */
  within<T>(place: Place, body: () => T): T {
    return this.place.run(place, body);
  }

  /** Routes every simulated SDK client's send to this account; returns the uninstall function. */
  install(): () => void {
    return installSdkStubs(this);
  }

  private get current(): FleetSimulator {
    const place = this.place.getStore();
    if (place === undefined)
      throw new Error('an AWS call outside any function of the train: run it within an environment');
    if (place === 'image-factory') return this.factoryWorld;
    const world = this.worlds.get(place);
    if (!world) throw new Error(`${place} is not in this train`);
    return world;
  }

  get autoScaling() {
    return this.current.autoScaling;
  }
  get ec2() {
    return this.current.ec2;
  }
  get elbv2() {
    return this.current.elbv2;
  }
  get cloudWatch() {
    return this.current.cloudWatch;
  }
  get ssm() {
    return this.current.ssm;
  }
  get dynamodb() {
    return this.current.dynamodb;
  }
  get sns() {
    return this.current.sns;
  }
  /** The account's Image Builder: the factory's builds. */
  get imageBuilder() {
    return this.factoryWorld.imageBuilder;
  }
  get apiCalls() {
    return this.current.apiCalls;
  }

  call<T>(service: SimService, command: string, handler: () => T): T {
    return this.current.call(service, command, handler);
  }

  unsupported(service: SimService, command: string): Error {
    return this.current.unsupported(service, command);
  }
}
