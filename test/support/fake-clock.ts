/**
 * A clock a test moves by hand (the Clock shape of notification-policy.ts and keep-connected.ts): timers fire
 * in order as time passes, and every delay asked for is kept, so that a test can state the back-off it saw.
 */
export class FakeClock {
  time: number;
  /** Every delay passed to setTimer, in order. */
  readonly delays: number[] = [];
  private timers: { at: number; callback: () => void; cancelled: boolean }[] = [];

  constructor(start = 0) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimer(callback: () => void, ms: number): () => void {
    this.delays.push(ms);
    const timer = { at: this.time + ms, callback, cancelled: false };
    this.timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  }

  /** Timers still pending. */
  get pending(): number {
    return this.timers.filter((timer) => !timer.cancelled).length;
  }

  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => !t.cancelled && t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      due.cancelled = true;
      this.time = due.at;
      due.callback();
    }
    this.time = end;
  }
}
