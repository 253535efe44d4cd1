/**
 * Virtual time for several executions at once. Each execution runs until it sleeps (a Wait
 * state, a retry backoff, a Lambda's own duration); when every running execution is asleep,
 * time jumps to the earliest wake-up, the world is advanced to it, and that sleeper resumes.
 * Nothing waits in real time, and two executions interleave exactly as their simulated
 * timings say.
 */
export class VirtualTime {
  private running = 0;
  private sleepers: Array<{ at: number; seq: number; wake: () => void }> = [];
  private timers: Array<{ at: number; seq: number; fire: () => void }> = [];
  private idleWaiters: Array<() => void> = [];
  private seq = 0;
  private checkScheduled = false;
  private failure: Error | undefined;

  /**
   * @param now simulated seconds since the start
   * @param advanceTo moves the world (and the clock handlers see) to a later second
   */
  constructor(
    private readonly now: () => number,
    private readonly advanceTo: (second: number) => void,
  ) {}

  /** Run `body` as one execution; time does not jump while it is busy. */
  async run<T>(body: () => Promise<T>): Promise<T> {
    this.running++;
    try {
      return await body();
    } finally {
      this.running--;
      this.scheduleCheck();
    }
  }

  /** Sleep `seconds` of simulated time (the caller must be inside `run`). */
  sleep(seconds: number): Promise<void> {
    if (this.failure)
      return Promise.reject(this.failure instanceof Error ? this.failure : new Error(String(this.failure)));
    const at = this.now() + Math.max(0, seconds);
    return new Promise<void>((wake) => {
      this.sleepers.push({ at, seq: this.seq++, wake });
      this.scheduleCheck();
    });
  }

  /**
   * Sleep up to `seconds` of simulated time, or until `wake` is called, whichever comes first
   * (a task waiting for its token: answered, or timed out). `done` resolves true when woken.
   */
  interruptibleSleep(seconds: number): { readonly done: Promise<boolean>; readonly wake: () => void } {
    if (this.failure) {
      const failure = this.failure;
      return { done: Promise.reject(failure), wake: () => undefined };
    }
    let settle!: (woken: boolean) => void;
    const done = new Promise<boolean>((resolve) => (settle = resolve));
    const sleeper = { at: this.now() + Math.max(0, seconds), seq: this.seq++, wake: () => settle(false) };
    this.sleepers.push(sleeper);
    this.scheduleCheck();
    return {
      done,
      wake: () => {
        // Woken early: no longer asleep, so time must not jump past this execution's next step.
        const before = this.sleepers.length;
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        if (this.sleepers.length !== before) settle(true);
        this.scheduleCheck();
      },
    };
  }

  /** Call `fire` when simulated time reaches `at` (faults, a second execution's start); returns a cancel. */
  at(at: number, fire: () => void): () => void {
    const timer = { at, seq: this.seq++, fire };
    this.timers.push(timer);
    this.scheduleCheck();
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
      this.scheduleCheck();
    };
  }

  /** Fire the timers due by `upTo` (by default now), before anything else runs then. */
  fireDue(upTo: number = this.now()): void {
    const t = upTo;
    const due = this.timers.filter((x) => x.at <= t).sort(order);
    this.timers = this.timers.filter((x) => x.at > t);
    for (const d of due) d.fire();
  }

  private scheduleCheck(): void {
    if (this.checkScheduled) return;
    this.checkScheduled = true;
    // setImmediate runs after every pending promise continuation: if all executions are
    // still asleep then, nothing else can happen before the next wake-up.
    setImmediate(() => {
      this.checkScheduled = false;
      try {
        this.step();
      } catch (e) {
        this.failure = e instanceof Error ? e : new Error(`virtual time failed: ${JSON.stringify(e)}`);
        for (const s of this.sleepers.splice(0)) s.wake();
      }
    });
  }

  /** Resolves once nothing runs, sleeps or is scheduled any more. */
  idle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.scheduleCheck();
    });
  }

  private step(): void {
    if (this.sleepers.length < this.running) return;
    const next = [...this.sleepers].sort(order)[0];
    const timer = [...this.timers].sort(order)[0];
    if (!next && !timer) {
      if (this.running === 0) for (const w of this.idleWaiters.splice(0)) w();
      return;
    }
    if (timer && (!next || timer.at <= next.at)) {
      // A fault or another execution starts first.
      const at = Math.max(this.now(), timer.at);
      this.advanceTo(at);
      // Fire by the timer's own time: the clock has millisecond resolution, so reading it back
      // after a jump to 663.3000000000001 says 663.3, and the timer would never be due.
      this.fireDue(at);
      this.scheduleCheck();
      return;
    }
    if (!next) return;
    this.advanceTo(Math.max(this.now(), next.at));
    this.sleepers = this.sleepers.filter((s) => s !== next);
    next.wake();
    this.scheduleCheck();
  }
}

const order = (a: { at: number; seq: number }, b: { at: number; seq: number }) =>
  a.at - b.at || a.seq - b.seq;
