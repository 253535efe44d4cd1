/** A scheduled physics event: what happens at `time` (seconds since the start of the run). */
export interface SimEvent {
  readonly time: number;
  readonly seq: number;
  readonly kind: string;
  /** Instances (or other ids) a cohort event applies to: launched together, they finish together. */
  readonly ids: string[];
  readonly run: (ids: readonly string[]) => void;
  readonly cohortKey?: string;
}

/**
 * A min-heap of events ordered by time, then by scheduling order. Events of the same kind, key and
 * time are merged into one cohort, so a batch of 100 launches is one event, not 100: the number of
 * events grows with batches, not with instances.
 */
export class EventQueue {
  private readonly heap: SimEvent[] = [];
  private readonly cohorts = new Map<string, SimEvent>();
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  peek(): SimEvent | undefined {
    return this.heap[0];
  }

  /**
   * Schedules `run` at `time`. With a `cohortKey`, an event already scheduled for the same key and
   * time gets `id` added to its ids instead.
   */
  schedule(time: number, kind: string, run: SimEvent['run'], cohortKey?: string, id?: string): void {
    if (cohortKey !== undefined) {
      const key = `${kind}|${cohortKey}|${time}`;
      const existing = this.cohorts.get(key);
      if (existing) {
        if (id !== undefined) existing.ids.push(id);
        return;
      }
      const event: SimEvent = {
        time,
        seq: this.seq++,
        kind,
        ids: id === undefined ? [] : [id],
        run,
        cohortKey: key,
      };
      this.cohorts.set(key, event);
      this.push(event);
      return;
    }
    this.push({ time, seq: this.seq++, kind, ids: id === undefined ? [] : [id], run });
  }

  pop(): SimEvent | undefined {
    const top = this.heap[0];
    if (!top) return undefined;
    const last = this.heap.pop() as SimEvent;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.down(0);
    }
    if (top.cohortKey !== undefined) this.cohorts.delete(top.cohortKey);
    return top;
  }

  private push(event: SimEvent): void {
    this.heap.push(event);
    this.up(this.heap.length - 1);
  }

  private less(a: number, b: number): boolean {
    const x = this.heap[a] as SimEvent;
    const y = this.heap[b] as SimEvent;
    return x.time < y.time || (x.time === y.time && x.seq < y.seq);
  }

  private swap(a: number, b: number): void {
    const x = this.heap[a] as SimEvent;
    this.heap[a] = this.heap[b] as SimEvent;
    this.heap[b] = x;
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < this.heap.length && this.less(left, smallest)) smallest = left;
      if (right < this.heap.length && this.less(right, smallest)) smallest = right;
      if (smallest === i) return;
      this.swap(i, smallest);
      i = smallest;
    }
  }
}
