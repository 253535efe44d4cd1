import type { SimulatedCloud } from '../cloud';
import type { BusEvent } from '../simulator/services/events';
import { matchesPattern } from '../train/event-pattern';
import type { VirtualTime } from '../virtual-time';
import type { RunFunctions } from './functions';
import type { FunctionSpec, RuleSpec } from './stack';

/** One invocation of a function by a rule, as the run's log tells it. */
export interface Delivery {
  /** Simulated seconds since the run began. */
  readonly t: number;
  readonly rule: string;
  /** The stack of the function invoked. */
  readonly place: string;
  readonly handler: string;
  readonly event: BusEvent;
  readonly outcome:
    { readonly ok: true; readonly result: unknown } | { readonly ok: false; readonly error: string };
  /** Set when the event went to the function's on-failure destination, its retries spent. */
  readonly deadLettered?: string;
}

export interface BusDeps {
  readonly vt: VirtualTime;
  readonly seconds: () => number;
  /** Simulated seconds each Lambda invocation takes. */
  readonly latency: number;
  /** Called after every invocation a rule made, its retries included. */
  readonly delivered: (d: Delivery) => void;
}

/**
 * EventBridge in every account and region of the cloud: an event on a default bus goes, just
 * after it was put, to every rule deployed there that matches it. A rule's Lambda targets are
 * invoked asynchronously with the function as deployed; a function that fails is retried by
 * Lambda, one then two minutes later (its EventInvokeConfig's retries), then the event goes to
 * its on-failure destination (the dead-letter queue an alarm watches). A rule whose target is
 * another account's or region's default bus forwards the event there, keeping its source account.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-account.html
 */
export class ProductBus {
  /** Events that ended in a dead-letter queue. */
  readonly deadLetters: Delivery[] = [];
  private closed = false;

  constructor(
    private readonly rules: readonly RuleSpec[],
    private readonly functions: RunFunctions,
    private readonly cloud: SimulatedCloud,
    private readonly deps: BusDeps,
  ) {
    const places = new Set(rules.map((r) => `${r.account}/${r.region}`));
    for (const key of places) {
      const [account = '', region = ''] = key.split('/');
      this.cloud.place(account, region).events.onEvent((e) => this.put(account, region, e));
    }
  }

  /** Delivers the event to every rule of its account and region it matches, as EventBridge does. */
  put(account: string, region: string, event: BusEvent): void {
    if (this.closed) return;
    for (const rule of this.rules) {
      if (rule.account !== account || rule.region !== region || !matchesPattern(rule.pattern, event))
        continue;
      for (const target of rule.targets) {
        const { vt } = this.deps;
        if (target.includes(':event-bus/')) {
          vt.at(this.deps.seconds(), () => this.forward(target, event));
          continue;
        }
        const fn = this.functions.spec(target);
        if (!fn) throw new Error(`rule ${rule.id} targets ${target}, which the rehearsal cannot invoke`);
        vt.at(this.deps.seconds(), () => void vt.run(() => this.invoke(rule, fn, event)));
      }
    }
  }

  /** Puts the event on another account's or region's default bus, as the forwarding rule does. */
  private forward(busArn: string, event: BusEvent): void {
    if (this.closed) return;
    const [, , , region = '', account = ''] = busArn.split(':');
    this.cloud.place(account, region).events.receive(event);
  }

  /** Nothing is delivered once the rehearsal has ended. */
  close(): void {
    this.closed = true;
  }

  private async invoke(rule: RuleSpec, fn: FunctionSpec, event: BusEvent): Promise<void> {
    const { vt } = this.deps;
    const waits = [60, 120, 120].slice(0, fn.retryAttempts);
    for (let attempt = 0; ; attempt++) {
      await vt.sleep(this.deps.latency);
      if (this.closed) return;
      const outcome = await this.functions.invoke(fn.arn, event).then(
        (result) => ({ ok: true as const, result }),
        (e: unknown) => {
          const err = e instanceof Error ? e : new Error(String(e));
          return { ok: false as const, error: `${err.name}: ${err.message}` };
        },
      );
      const wait = waits[attempt];
      const deadLettered = !outcome.ok && wait === undefined ? (fn.onFailure ?? 'nowhere') : undefined;
      const delivery: Delivery = {
        t: this.deps.seconds(),
        rule: rule.id,
        place: fn.stack,
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
