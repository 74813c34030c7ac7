import type { Clock } from '../../src-main/core/time';

/** A clock the test moves by hand. Starts at a fixed Shanghai business moment. */
export class TestClock implements Clock {
  constructor(public t = Date.UTC(2026, 10, 26, 2, 0, 0)) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}
