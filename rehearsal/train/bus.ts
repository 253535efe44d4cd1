import type { SimulatedDeployment } from '../deployment';
import type { BusEvent } from '../simulator/services/events';
import type { VirtualTime } from '../virtual-time';
import type { Place } from './account';
import { matchesPattern } from './event-pattern';
import type { DeployedFunction } from './functions';

/** An EventBridge rule of a stack, with what it invokes. */
export interface BusRule {
  readonly place: Place;
  readonly id: string;
  readonly pattern: unknown;
  /** The targets' ARNs. */
  readonly targets: readonly string[];
}

/** The rules of the deployments that match events (schedules are not run by a train). */
export function busRules(deployments: ReadonlyArray<readonly [Place, SimulatedDeployment]>): BusRule[] {
  return deployments.flatMap(([place, d]) =>
    d.ofType('AWS::Events::Rule').flatMap((id) => {
      const p = d.properties(id) as {
        EventPattern?: unknown;
        State?: string;
        EventBusName?: string;
        Targets?: Array<{ Arn: string }>;
      };
      if (!p.EventPattern || p.State === 'DISABLED') return [];
      if (p.EventBusName && p.EventBusName !== 'default') return [];
      return [{ place, id, pattern: p.EventPattern, targets: (p.Targets ?? []).map((t) => String(t.Arn)) }];
    }),
  );
}

/** One invocation of a function by a rule, as the train's log tells it. */
export interface Delivery {
  /** Simulated seconds since the train began. */
  readonly t: number;
  readonly rule: string;
  readonly place: Place;
  readonly handler: string;
  readonly event: BusEvent;
  readonly outcome:
    { readonly ok: true; readonly result: unknown } | { readonly ok: false; readonly error: string };
  /** Set when the event went to the function's on-failure destination, its retries spent. */
  readonly deadLettered?: string;
}

export interface TrainBusDeps {
  readonly vt: VirtualTime;
  readonly seconds: () => number;
  readonly within: <T>(place: Place, body: () => T) => T;
  /** Simulated seconds each Lambda invocation takes. */
  readonly latency: number;
  /** Called after every invocation a rule made, its retries included. */
  readonly delivered: (d: Delivery) => void;
}

/**
 * EventBridge rules seconds after the event: every matching rule's Lambda targets are invoked
 * asynchronously with the function's environment as deployed. A function that fails is retried
 * by Lambda, one then two minutes later (its EventInvokeConfig's retries), then the event goes
 * to its on-failure destination (the dead-letter queue an alarm watches).
 * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
 */
export class TrainBus {
  /** Events that ended in a dead-letter queue. */
  readonly deadLetters: Delivery[] = [];
  private closed = false;

  constructor(
    private readonly rules: readonly BusRule[],
    private readonly functions: ReadonlyMap<string, DeployedFunction>,
    private readonly deps: TrainBusDeps,
  ) {}

  /** Delivers the event to every rule it matches, as EventBridge does, just after it was put. */
  put(event: BusEvent): void {
    if (this.closed) return;
    for (const rule of this.rules) {
      if (!matchesPattern(rule.pattern, event)) continue;
      for (const target of rule.targets) {
        const fn = this.functions.get(target);
        if (!fn) throw new Error(`rule ${rule.id} targets ${target}, which the train cannot invoke`);
        const { vt } = this.deps;
        vt.at(this.deps.seconds(), () => void vt.run(() => this.invoke(rule, fn, event)));
      }
    }
  }

  /** Nothing is delivered once the rehearsal has ended. */
  close(): void {
    this.closed = true;
  }

  private async invoke(rule: BusRule, fn: DeployedFunction, event: BusEvent): Promise<void> {
    const { vt } = this.deps;
    const waits = [60, 120, 120].slice(0, fn.retryAttempts);
    for (let attempt = 0; ; attempt++) {
      await vt.sleep(this.deps.latency);
      if (this.closed) return;
      const outcome = await this.deps.within(fn.place, async () => {
        try {
          return { ok: true as const, result: await fn.invoke(structuredClone(event) as never) };
        } catch (e) {
          const err = e instanceof Error ? e : new Error(String(e));
          return { ok: false as const, error: `${err.name}: ${err.message}` };
        }
      });
      const wait = waits[attempt];
      const deadLettered = !outcome.ok && wait === undefined ? (fn.onFailure ?? 'nowhere') : undefined;
      const delivery: Delivery = {
        t: this.deps.seconds(),
        rule: rule.id,
        place: fn.place,
        handler: fn.handler,
        event,
        outcome,
        ...(deadLettered ? { deadLettered } : {}),
      };
      this.deps.delivered(delivery);
      if (outcome.ok) return;
      if (deadLettered) {
        this.deadLetters.push(delivery);
        return;
      }
      await vt.sleep(wait as number);
    }
  }
}
