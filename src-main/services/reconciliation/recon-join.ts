import { addToSummary, classifyKey, DIFF_TYPES, emptySummary, RECORD_KINDS, RECORD_STATES, type ClassifyContext, type DiffField, type DiffType, type KeyOutcome, type ReconRecord, type ReconSummary, type RecordKind, type RecordState } from '../../core/reconciliation/recon-diff';
import type { LocalRecord, StagedRow } from '../../db/repositories/recon-repository';
import { F64Column, I32Column, U8Column } from './recon-columns';
import { KeyTable } from './recon-keys';

/**
 * The full outer join of one reconciliation day, in memory and compact: each key once in a KeyTable
 * (≈ 40 bytes), each record kept as a few numbers in typed arrays (≈ 45 bytes). Our records (read in
 * pages) and the bill's lines (streamed) come in any interleaving. A record whose key has exactly one
 * record of the other side and none of its own, and that matches it (the core rule says so,
 * classifyKey), only closes the key: its sequence number (and line) is noted, nothing else is kept.
 * A million-key day thus holds about 100 MB, where row objects with their lines' cells would take a
 * gigabyte. Should another record come for a closed key (a duplicate on either side), the one not
 * kept is stood in for by the figures of the record it matched — equal by the rule; the rule never
 * compares a duplicate's fields, and the amounts it adds up are those figures.
 *
 * Classification reads each key's records in sequence order (bill line ordinal / our row id), the
 * order the rule and the difference snapshots have always used. A key that ends up a difference or
 * held is read again in full — its bill lines by a second pass over the file, our rows by id — by the
 * caller (recon-day.ts).
 */

// Record flags.
const PLATFORM = 1;
/** A local record that joins only when the key is on the bill (or was held): an unsuccessful payment attempt of an order paid that day. */
const IF_BILLED = 2;
/** A platform record held by the previous day's run (kept whole in `carriedRows`; `line` is its index there). */
const CARRIED = 4;
// Key flags.
/** The bill has the key (a line kept, or the line that closed the key). */
const BILLED = 1;
/** We have the key (a record kept, or the record that closed the key). */
const OURS = 2;
/** Closed by a bill line, not kept: `closedSeq` (ordinal), `closedLine`; it matched our record `partner`. */
const CLOSED_BY_LINE = 4;
/** Closed by one of our records, not kept: `closedSeq` (row id); it matched the bill line `partner`. */
const CLOSED_BY_OURS = 8;

const NO_FEE = Number.NaN;
const HELD_LOCAL = 254;
const HELD_PLATFORM = 255;
const FIELD_ORDER: DiffField[] = ['count', 'presence', 'state', 'amount', 'fee'];
const stateCode = (s: RecordState) => RECORD_STATES.indexOf(s);

/** A record as the rule sees it, reused for keys with one record per side (no allocation per key). */
interface JoinRecord extends ReconRecord {
  seq: number;
  carried: boolean;
}
const flyweight = (): JoinRecord => ({ kind: 'payment', key: '', seq: 0, amountFen: 0, feeFen: null, state: 'success', at: 0, carried: false });
const bySeq = (a: JoinRecord, b: JoinRecord) => a.seq - b.seq;

/** A key that is a difference or held, and where its records are. */
export interface Emitted {
  kind: RecordKind;
  key: string;
  outcome: { outcome: 'diff'; type: DiffType; fields: DiffField[] } | { outcome: 'held'; side: 'local' | 'platform' };
  /** Our rows (id, and the figures the rule saw), in id order. */
  local: { seq: number; amountFen: number; state: RecordState }[];
  /** The bill lines (ordinal, line number, amount), in order; carried records are whole. */
  platform: ({ seq: number; line: number; amountFen: number } | { carried: StagedRow })[];
}

export class DayJoin {
  private readonly keys = new KeyTable();
  // Per key slot.
  private readonly head = new I32Column();
  private readonly keyFlags = new U8Column();
  private readonly closedSeq = new F64Column();
  private readonly closedLine = new I32Column();
  private readonly partner = new I32Column();
  // Records kept: one chain per key (newest first; sorted by sequence when read).
  private n = 0;
  private readonly next = new I32Column();
  private readonly seq = new F64Column();
  private readonly amount = new F64Column();
  private readonly fee = new F64Column();
  private readonly at = new F64Column();
  private readonly line = new I32Column();
  private readonly state = new U8Column();
  private readonly flags = new U8Column();
  private readonly carriedRows: StagedRow[] = [];
  private readonly heldLocal: Set<string>[] = RECORD_KINDS.map(() => new Set<string>());
  private readonly rule: ClassifyContext;
  private readonly probe = { local: [flyweight()], platform: [flyweight()] };
  // Outcomes to write (differences, held), by key slot.
  private emitCount = 0;
  private readonly emitKey = new I32Column();
  private readonly emitCode = new U8Column();
  private readonly emitFields = new U8Column();
  /** Local records joined (the run's local count). */
  localCount = 0;

  constructor(ctx: { dayEnd: number; holdWindowMs: number }) {
    this.rule = { ...ctx, carried: (r: ReconRecord) => (r as JoinRecord).carried };
  }

  private slot(kind: RecordKind, key: string): number {
    const before = this.keys.count;
    const s = this.keys.add(kind === 'payment' ? 0 : 1, key);
    if (s === before) {
      this.head.set(s, -1);
      this.keyFlags.set(s, 0);
    }
    return s;
  }

  private keep(s: number, seq: number, amountFen: number, feeFen: number | null, state: RecordState, at: number, line: number, flags: number): void {
    const r = this.n++;
    this.seq.set(r, seq);
    this.amount.set(r, amountFen);
    this.fee.set(r, feeFen === null ? NO_FEE : feeFen);
    this.at.set(r, at);
    this.line.set(r, line);
    this.state.set(r, stateCode(state));
    this.flags.set(r, flags);
    this.next.set(r, this.head.get(s));
    this.head.set(s, r);
    this.keyFlags.set(s, this.keyFlags.get(s) | (flags & PLATFORM ? BILLED : OURS));
  }

  /**
   * A record arriving for key slot `s`: it closes the key when the key has exactly one record of the
   * other side kept, none of its own, is not closed yet, and the two match; otherwise it is kept.
   */
  private arrive(s: number, kind: RecordKind, seq: number, amountFen: number, feeFen: number | null, state: RecordState, at: number, line: number, flags: number): void {
    const platform = (flags & PLATFORM) !== 0;
    if (!(this.keyFlags.get(s) & (CLOSED_BY_LINE | CLOSED_BY_OURS))) {
      let other = -1;
      let others = 0;
      let mine = 0;
      for (let r = this.head.get(s); r >= 0 && mine === 0 && others < 2; r = this.next.get(r)) {
        if ((this.flags.get(r) & PLATFORM) !== 0 === platform) mine++;
        else {
          others++;
          other = r;
        }
      }
      if (mine === 0 && others === 1) {
        // Every record of ours joins once the key is billed, which it is with a record on each side.
        const arriving = (platform ? this.probe.platform : this.probe.local)[0]!;
        arriving.kind = kind;
        arriving.amountFen = amountFen;
        arriving.feeFen = feeFen;
        arriving.state = state;
        arriving.at = at;
        this.record(other, kind, (platform ? this.probe.local : this.probe.platform)[0]!, false);
        if (classifyKey(this.probe.local, this.probe.platform, this.rule).outcome === 'matched') {
          this.keyFlags.set(s, this.keyFlags.get(s) | (platform ? CLOSED_BY_LINE | BILLED : CLOSED_BY_OURS | OURS));
          this.closedSeq.set(s, seq);
          this.closedLine.set(s, line);
          this.partner.set(s, other);
          return;
        }
      }
    }
    this.keep(s, seq, amountFen, feeFen, state, at, line, flags);
  }

  /** A key held by the previous day's run on our side: its records join today whatever their day, and are never held again. */
  holdLocalKey(kind: RecordKind, key: string): void {
    this.heldLocal[kind === 'payment' ? 0 : 1]!.add(key);
  }

  isHeldLocal(kind: RecordKind, key: string): boolean {
    return this.heldLocal[kind === 'payment' ? 0 : 1]!.has(key);
  }

  /** One of our records; `ifBilled`: it joins only if the bill has its key (or the key was held). */
  addLocal(kind: RecordKind, r: LocalRecord, ifBilled = false): void {
    this.local(kind, r.seq, r.key, r.amountFen, r.feeFen, r.state, r.at, ifBilled);
  }

  /** addLocal, field by field (the day's pages: no object per record). */
  local(kind: RecordKind, seq: number, key: string, amountFen: number, feeFen: number | null, state: RecordState, at: number, ifBilled: boolean): void {
    this.arrive(this.slot(kind, key), kind, seq, amountFen, feeFen, state, at, 0, ifBilled ? IF_BILLED : 0);
  }

  /** A platform record held by the previous day's run: always kept (it is whole already). Before the bill. */
  addCarried(row: StagedRow): void {
    this.keep(this.slot(row.kind, row.key), row.seq, row.amountFen, row.feeFen, row.state, row.at, this.carriedRows.length, PLATFORM | CARRIED);
    this.carriedRows.push(row);
  }

  /** One bill line: `seq` its ordinal among the bill's records, `line` its line number in the file. */
  addPlatform(kind: RecordKind, key: string, seq: number, line: number, amountFen: number, feeFen: number | null, state: RecordState, at: number): void {
    this.arrive(this.slot(kind, key), kind, seq, amountFen, feeFen, state, at, line, PLATFORM);
  }

  /** Keys with none of our records yet that must be looked up in the store: on the bill, or held on our side. */
  keysToLookUp(kind: RecordKind): string[] {
    const k = kind === 'payment' ? 0 : 1;
    const out: string[] = [];
    for (let s = 0; s < this.keys.count; s++) if (this.keys.kindOf(s) === k && (this.keyFlags.get(s) & (BILLED | OURS)) === BILLED) out.push(this.keys.keyOf(s));
    for (const key of this.heldLocal[k]!) {
      const s = this.keys.find(k, key);
      if (s < 0 || (this.keyFlags.get(s) & (BILLED | OURS)) === 0) out.push(key);
    }
    return out;
  }

  isBilled(kind: RecordKind, key: string): boolean {
    const s = this.keys.find(kind === 'payment' ? 0 : 1, key);
    return s >= 0 && (this.keyFlags.get(s) & BILLED) !== 0;
  }

  private record(r: number, kind: RecordKind, into: JoinRecord, carried: boolean): JoinRecord {
    into.kind = kind;
    into.seq = this.seq.get(r);
    into.amountFen = this.amount.get(r);
    const fee = this.fee.get(r);
    into.feeFen = fee === fee ? fee : null;
    into.state = RECORD_STATES[this.state.get(r)]!;
    into.at = this.at.get(r);
    into.carried = carried;
    return into;
  }

  /** Whether the slot's key was held on our side by the previous day's run (decoded only when something was held). */
  private heldHere(s: number, k: number): boolean {
    return this.heldLocal[k]!.size > 0 && this.heldLocal[k]!.has(this.keys.keyOf(s));
  }

  /** The key's joining records kept, of each side, as record indexes. */
  private kept(s: number, held: boolean): { local: number[]; platform: number[] } {
    const joins = (this.keyFlags.get(s) & BILLED) !== 0 || held;
    const local: number[] = [];
    const platform: number[] = [];
    for (let r = this.head.get(s); r >= 0; r = this.next.get(r)) {
      const f = this.flags.get(r);
      if (f & PLATFORM) platform.push(r);
      else if (!(f & IF_BILLED) || joins) local.push(r);
    }
    return { local, platform };
  }

  /**
   * The key's records of each side as the rule sees them, in sequence order: those kept, and the
   * one that closed the key in its partner's figures. Singletons reuse `one` (no allocation).
   */
  private sides(s: number, kind: RecordKind, held: boolean, one: { local: JoinRecord[]; platform: JoinRecord[] }): { local: JoinRecord[]; platform: JoinRecord[] } {
    const m = this.kept(s, held);
    const flags = this.keyFlags.get(s);
    const closed = flags & (CLOSED_BY_LINE | CLOSED_BY_OURS);
    const side = (kept: number[], closedHere: boolean, carriedOf: (r: number) => boolean, standCarried: boolean, single: JoinRecord[]): JoinRecord[] => {
      const n = kept.length + (closedHere ? 1 : 0);
      if (n === 0) return [];
      const out = n === 1 ? single : Array.from({ length: n }, flyweight);
      kept.forEach((r, i) => this.record(r, kind, out[i]!, carriedOf(r)));
      if (closedHere) this.record(this.partner.get(s), kind, out[n - 1]!, standCarried).seq = this.closedSeq.get(s);
      if (n > 1) out.sort(bySeq);
      return out;
    };
    // Our records carry the key's held mark; a bill line that closed the key is today's, never carried.
    const local = side(m.local, (closed & CLOSED_BY_OURS) !== 0, () => held, held, one.local);
    const platform = side(m.platform, (closed & CLOSED_BY_LINE) !== 0, (r) => (this.flags.get(r) & CARRIED) !== 0, false, one.platform);
    return { local, platform };
  }

  /**
   * Classifies every key by the core rule (classifyKey) and folds the outcomes into the summary;
   * remembers the keys that are differences or held (`emitted`). The records handed to the rule
   * carry an empty key: the rule only checks that a key's records share one, which a slot's always
   * do, and decoding a million keys for that would cost more than the rest of the loop.
   */
  classify(): ReconSummary {
    const summary = emptySummary();
    const one = { local: [flyweight()], platform: [flyweight()] };
    for (let s = 0; s < this.keys.count; s++) {
      const k = this.keys.kindOf(s);
      const { local, platform } = this.sides(s, RECORD_KINDS[k]!, this.heldHere(s, k), one);
      if (!local.length && !platform.length) continue;
      this.localCount += local.length;
      const outcome = classifyKey(local, platform, this.rule);
      addToSummary(summary, outcome, local, platform);
      if (outcome.outcome !== 'matched') this.remember(s, outcome);
    }
    return summary;
  }

  private remember(s: number, o: Exclude<KeyOutcome, { outcome: 'matched' }>): void {
    const i = this.emitCount++;
    this.emitKey.set(i, s);
    if (o.outcome === 'held') {
      this.emitCode.set(i, o.side === 'local' ? HELD_LOCAL : HELD_PLATFORM);
      this.emitFields.set(i, 0);
    } else {
      this.emitCode.set(i, DIFF_TYPES.indexOf(o.type));
      this.emitFields.set(i, o.fields.reduce((bits, f) => bits | (1 << FIELD_ORDER.indexOf(f)), 0));
    }
  }

  get emittedCount(): number {
    return this.emitCount;
  }

  /** The bill lines (not carried) of the i-th emitted key, without building it. */
  billLines(i: number, visit: (line: number) => void): void {
    const s = this.emitKey.get(i);
    if (this.keyFlags.get(s) & CLOSED_BY_LINE) visit(this.closedLine.get(s));
    for (let r = this.head.get(s); r >= 0; r = this.next.get(r)) if ((this.flags.get(r) & (PLATFORM | CARRIED)) === PLATFORM) visit(this.line.get(r));
  }

  /** The i-th key that is a difference or held (0 ≤ i < emittedCount). */
  emitted(i: number): Emitted {
    const s = this.emitKey.get(i);
    const k = this.keys.kindOf(s);
    const key = this.keys.keyOf(s);
    const code = this.emitCode.get(i);
    const bits = this.emitFields.get(i);
    const flags = this.keyFlags.get(s);
    const m = this.kept(s, this.heldLocal[k]!.has(key));
    const figures = (r: number) => ({ amountFen: this.amount.get(r), state: RECORD_STATES[this.state.get(r)]! });
    const local = m.local.map((r) => ({ seq: this.seq.get(r), ...figures(r) }));
    // The record that closed the key, in the figures of the line it matched (equal by the rule).
    if (flags & CLOSED_BY_OURS) local.push({ seq: this.closedSeq.get(s), ...figures(this.partner.get(s)) });
    const platform: (Emitted['platform'][number] & { order: number })[] = m.platform.map((r) =>
      this.flags.get(r) & CARRIED ? { carried: this.carriedRows[this.line.get(r)]!, order: this.seq.get(r) } : { seq: this.seq.get(r), line: this.line.get(r), amountFen: this.amount.get(r), order: this.seq.get(r) },
    );
    if (flags & CLOSED_BY_LINE) platform.push({ seq: this.closedSeq.get(s), line: this.closedLine.get(s), amountFen: this.amount.get(this.partner.get(s)), order: this.closedSeq.get(s) });
    return {
      kind: RECORD_KINDS[k]!,
      key,
      outcome:
        code === HELD_LOCAL || code === HELD_PLATFORM
          ? { outcome: 'held', side: code === HELD_LOCAL ? 'local' : 'platform' }
          : { outcome: 'diff', type: DIFF_TYPES[code]!, fields: FIELD_ORDER.filter((_, b) => bits & (1 << b)) },
      local: local.sort((a, b) => a.seq - b.seq),
      platform: platform.sort((a, b) => a.order - b.order).map(({ order: _, ...p }) => p as Emitted['platform'][number]),
    };
  }
}
