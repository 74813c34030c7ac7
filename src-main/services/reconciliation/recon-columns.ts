/**
 * Growable columns of numbers for the reconciliation join (recon-join.ts, recon-keys.ts), stored in
 * fixed blocks of 64Ki entries: growing adds a block and copies nothing, so a million-record day
 * never holds an old and a new array at once, and never more than one block unused. One class per
 * element type keeps every access site monomorphic.
 */
const BITS = 16;
const SIZE = 1 << BITS;
const MASK = SIZE - 1;

export class F64Column {
  private readonly blocks: Float64Array[] = [];
  get(i: number): number {
    return this.blocks[i >>> BITS]![i & MASK]!;
  }
  set(i: number, v: number): void {
    const b = i >>> BITS;
    while (b >= this.blocks.length) this.blocks.push(new Float64Array(SIZE));
    this.blocks[b]![i & MASK] = v;
  }
}

export class I32Column {
  private readonly blocks: Int32Array[] = [];
  get(i: number): number {
    return this.blocks[i >>> BITS]![i & MASK]!;
  }
  set(i: number, v: number): void {
    const b = i >>> BITS;
    while (b >= this.blocks.length) this.blocks.push(new Int32Array(SIZE));
    this.blocks[b]![i & MASK] = v;
  }
}

export class U32Column {
  private readonly blocks: Uint32Array[] = [];
  get(i: number): number {
    return this.blocks[i >>> BITS]![i & MASK]!;
  }
  set(i: number, v: number): void {
    const b = i >>> BITS;
    while (b >= this.blocks.length) this.blocks.push(new Uint32Array(SIZE));
    this.blocks[b]![i & MASK] = v;
  }
}

export class U8Column {
  private readonly blocks: Uint8Array[] = [];
  get(i: number): number {
    return this.blocks[i >>> BITS]![i & MASK]!;
  }
  set(i: number, v: number): void {
    const b = i >>> BITS;
    while (b >= this.blocks.length) this.blocks.push(new Uint8Array(SIZE));
    this.blocks[b]![i & MASK] = v;
  }
}
