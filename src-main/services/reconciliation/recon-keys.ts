import { I32Column, U32Column, U8Column } from './recon-columns';

const ARENA_BITS = 20;
const ARENA_BLOCK = 1 << ARENA_BITS;
const ARENA_MASK = ARENA_BLOCK - 1;

/**
 * The keys of a reconciliation day (out_trade_no / out_refund_no of one kind), each given a dense
 * slot number: an open-addressing hash table over typed arrays, the key's characters kept in byte
 * blocks. A JS Map would keep a string and an entry per key (≈ 90 bytes, on a heap the garbage
 * collector walks again and again); here a key costs ≈ 40 bytes of plain memory. Merchant numbers
 * are ASCII (WeChat, Alipay and our own numbering); a key with a character above U+00FF, or longer
 * than 255, still works, kept as a string beside the blocks.
 */
export class KeyTable {
  private size = 0;
  /** Slot + 1 per bucket, 0 = empty; a power of two, at most half full. */
  private buckets = new Int32Array(1 << 12);
  private readonly hashes = new U32Column();
  private readonly kinds = new U8Column();
  private readonly lens = new U8Column();
  /** Where the key's bytes start (block << 20 | offset); -1 - i: the i-th wide key. */
  private readonly starts = new I32Column();
  private readonly arena: Uint8Array[] = [];
  private arenaUsed = ARENA_BLOCK;
  private readonly wide: string[] = [];

  get count(): number {
    return this.size;
  }

  /** The key's slot, or -1. */
  find(kind: number, key: string): number {
    const h = hash(kind, key);
    const mask = this.buckets.length - 1;
    for (let b = h & mask; ; b = (b + 1) & mask) {
      const s = this.buckets[b]! - 1;
      if (s < 0) return -1;
      if (this.hashes.get(s) === h && this.kinds.get(s) === kind && this.equals(s, key)) return s;
    }
  }

  /** The key's slot, a new one (the next number) if the key is new. */
  add(kind: number, key: string): number {
    const h = hash(kind, key);
    let mask = this.buckets.length - 1;
    let b = h & mask;
    for (; ; b = (b + 1) & mask) {
      const s = this.buckets[b]! - 1;
      if (s < 0) break;
      if (this.hashes.get(s) === h && this.kinds.get(s) === kind && this.equals(s, key)) return s;
    }
    const s = this.size++;
    this.hashes.set(s, h);
    this.kinds.set(s, kind);
    this.store(s, key);
    if (this.size * 2 > this.buckets.length) {
      this.rehash();
      mask = this.buckets.length - 1;
      for (b = h & mask; this.buckets[b] !== 0; b = (b + 1) & mask);
    }
    this.buckets[b] = s + 1;
    return s;
  }

  kindOf(slot: number): number {
    return this.kinds.get(slot);
  }

  keyOf(slot: number): string {
    const start = this.starts.get(slot);
    if (start < 0) return this.wide[-1 - start]!;
    const at = start & ARENA_MASK;
    return String.fromCharCode(...this.arena[start >>> ARENA_BITS]!.subarray(at, at + this.lens.get(slot)));
  }

  private equals(s: number, key: string): boolean {
    const start = this.starts.get(s);
    if (start < 0) return this.wide[-1 - start] === key;
    if (this.lens.get(s) !== key.length) return false;
    const block = this.arena[start >>> ARENA_BITS]!;
    const at = start & ARENA_MASK;
    for (let i = 0; i < key.length; i++) if (block[at + i] !== key.charCodeAt(i)) return false;
    return true;
  }

  private store(s: number, key: string): void {
    let narrow = key.length < 256;
    for (let i = 0; narrow && i < key.length; i++) narrow = key.charCodeAt(i) < 256;
    if (!narrow) {
      this.starts.set(s, -1 - this.wide.length);
      this.wide.push(key);
      return;
    }
    if (this.arenaUsed + key.length > ARENA_BLOCK) {
      this.arena.push(new Uint8Array(ARENA_BLOCK));
      this.arenaUsed = 0;
    }
    const block = this.arena[this.arena.length - 1]!;
    for (let i = 0; i < key.length; i++) block[this.arenaUsed + i] = key.charCodeAt(i);
    this.starts.set(s, ((this.arena.length - 1) << ARENA_BITS) | this.arenaUsed);
    this.lens.set(s, key.length);
    this.arenaUsed += key.length;
  }

  /** Twice the buckets, every slot placed again from its stored hash (no key is read). */
  private rehash(): void {
    const buckets = new Int32Array(this.buckets.length * 2);
    const mask = buckets.length - 1;
    for (let s = 0; s < this.size - 1; s++) {
      let b = this.hashes.get(s) & mask;
      while (buckets[b] !== 0) b = (b + 1) & mask;
      buckets[b] = s + 1;
    }
    this.buckets = buckets;
  }
}

/** FNV-1a over the kind and the key's UTF-16 code units, with a final avalanche (murmur3's fmix32). */
function hash(kind: number, key: string): number {
  let h = (0x811c9dc5 ^ kind) >>> 0;
  h = Math.imul(h, 0x01000193);
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
