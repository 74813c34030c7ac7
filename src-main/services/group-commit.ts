/** What one item of a batch came to: its value, or the error its caller gets. */
export type BatchResult<O> = { ok: true; value: O } | { ok: false; error: unknown };

/**
 * Group commit: callers submit items one at a time; whatever arrived while earlier batches were
 * being written goes into the next batch, which `applyBatch` applies together (one transaction).
 * Batches start in arrival order, at most `maxInFlight` at a time (on MySQL a second batch can do
 * its round trips while the first waits for the database; row locks order what they share). With
 * no batch running the next one starts at once; beside a running one only when `minOverlap` items
 * wait — otherwise they keep gathering for the next batch, since every batch costs the same
 * statements whatever its size and many small batches only add work. Each caller's promise settles
 * only once its batch has finished, i.e. after the commit: a notification is acknowledged only when
 * its effect is durable. With one caller at a time every batch has one item and nothing waits.
 */
export class GroupCommit<I, O> {
  private queue: { item: I; resolve: (o: O) => void; reject: (e: unknown) => void }[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly applyBatch: (items: I[]) => Promise<BatchResult<O>[]>,
    private readonly maxBatch: number,
    private readonly maxInFlight = 1,
    private readonly minOverlap = 1,
  ) {}

  /** Whether the waiting items may start a batch now. */
  private mayStart(): boolean {
    if (!this.queue.length || this.inFlight >= this.maxInFlight) return false;
    return this.inFlight === 0 || this.queue.length >= this.minOverlap;
  }

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || !this.mayStart()) return;
    this.scheduled = true;
    // Let the requests that came in with this one (the same turn of the event loop) join its batch.
    setImmediate(() => {
      this.scheduled = false;
      if (!this.mayStart()) return;
      this.inFlight++;
      void this.run(this.queue.splice(0, this.maxBatch)).finally(() => {
        this.inFlight--;
        this.schedule();
      });
      this.schedule();
    });
  }

  private async run(batch: { item: I; resolve: (o: O) => void; reject: (e: unknown) => void }[]): Promise<void> {
    let results: BatchResult<O>[];
    try {
      results = await this.applyBatch(batch.map((b) => b.item));
    } catch (e) {
      results = batch.map(() => ({ ok: false, error: e }));
    }
    batch.forEach((b, i) => {
      const r = results[i] ?? { ok: false, error: new Error('batch gave no result for this item') };
      if (r.ok) b.resolve(r.value);
      else b.reject(r.error);
    });
  }
}
