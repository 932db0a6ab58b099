// Which data row first brought each mobile, for a file of any length: an open-addressing hash
// table in typed arrays (12 bytes a slot, at most half full), outside the JS heap, so neither the
// garbage collector nor V8's heap-growth factor pays for it the way a Map of 100,000 entries does.
export class MobileIndex {
  private keys = new Float64Array(1024); // 0 = empty slot; an 11-digit mobile fits a double exactly
  private rows = new Uint32Array(1024);
  private count = 0;

  get size(): number {
    return this.count;
  }

  // The row that claimed `mobile` first, or undefined after claiming it for `row`.
  claim(mobile: number, row: number): number | undefined {
    const slot = this.slot(mobile);
    if (this.keys[slot] === mobile) return this.rows[slot];
    this.keys[slot] = mobile;
    this.rows[slot] = row;
    this.count += 1;
    if (this.count * 2 > this.keys.length) this.grow();
    return undefined;
  }

  private slot(mobile: number): number {
    const mask = this.keys.length - 1;
    // Multiplicative hash of the low digits; collisions probe linearly.
    let i = (Math.imul(mobile % 0x40000000, 0x9e3779b1) >>> 0) & mask;
    while (this.keys[i] !== 0 && this.keys[i] !== mobile) i = (i + 1) & mask;
    return i;
  }

  private grow(): void {
    const [keys, rows] = [this.keys, this.rows];
    this.keys = new Float64Array(keys.length * 2);
    this.rows = new Uint32Array(keys.length * 2);
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] === 0) continue;
      const slot = this.slot(keys[i]);
      this.keys[slot] = keys[i];
      this.rows[slot] = rows[i];
    }
  }
}
