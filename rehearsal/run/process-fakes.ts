import { withGlobal } from '@sinonjs/fake-timers';

/**
 * What a run fakes for the whole process while it runs: `Date` (the handlers read the time
 * through it) and `send` on every simulated SDK client's prototype (the handlers create their
 * clients at module scope). Two runs at once would move each other's clock and route each
 * other's AWS calls to the wrong world, so a second run is refused while the first holds them.
 */
export interface ProcessFakes {
  /** Sets the faked Date to this instant (epoch milliseconds). */
  setNow(epochMs: number): void;
  /** Gives the process its real Date and the clients their real send back. */
  release(): void;
}

/** The run holding the fakes, as named in the refusal; undefined when none does. */
let holder: string | undefined;

/** Throws when a run holds the process-wide fakes; call before touching a world another run may share. */
export function refuseWhileFaked(run: string): void {
  if (holder === undefined) return;
  throw new Error(
    `cannot start ${run}: ${holder} is still running in this process and holds its process-wide fakes ` +
      "(Date and the AWS SDK clients' send); await it before starting another run",
  );
}

/** What the SDK clients are routed to: a simulator, or a train's account of several. */
export interface SimulatedAccount {
  /** Routes every simulated SDK client's send here; returns the uninstall function. */
  install(): () => void;
}

/** Fakes Date from `startMs` and routes the SDK clients to `sim`, for the run named `run`. */
export function holdProcessFakes(run: string, sim: SimulatedAccount, startMs: number): ProcessFakes {
  refuseWhileFaked(run);
  const clock = withGlobal(globalThis).install({ now: startMs, toFake: ['Date'] });
  let uninstall: () => void;
  try {
    uninstall = sim.install();
  } catch (e) {
    clock.uninstall();
    throw e;
  }
  holder = run;
  return {
    setNow: (epochMs) => clock.setSystemTime(epochMs),
    release: () => {
      uninstall();
      clock.uninstall();
      holder = undefined;
    },
  };
}
