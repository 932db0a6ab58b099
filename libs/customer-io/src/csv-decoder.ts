import { Transform, TransformCallback } from 'node:stream';
import { TextDecoder } from 'node:util';

import iconv from 'iconv-lite';

export const CSV_ENCODINGS = ['auto', 'utf8', 'gb18030'] as const;
export type CsvEncoding = (typeof CSV_ENCODINGS)[number];

// How many bytes from the first non-ASCII one are looked at before deciding. Chinese text in
// GB18030 stops being valid UTF-8 within a few characters, so a few KB is plenty.
const SNIFF_BYTES = 8 * 1024;

const firstNonAscii = (chunk: Buffer): number => {
  for (let i = 0; i < chunk.length; i++) if (chunk[i] >= 0x80) return i;
  return -1;
};

// True when the bytes are UTF-8 (a sequence cut at the end is allowed: more may follow).
export function looksLikeUtf8(sample: Buffer, complete: boolean): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: !complete });
    return true;
  } catch {
    return false;
  }
}

// Bytes in, UTF-8 bytes out. Excel in China saves CSV as GB18030 (or UTF-8 with a BOM when asked),
// so "auto" lets ASCII through untouched (it is the same in both), looks at the first few KB from
// the first non-ASCII byte, and then either passes UTF-8 through as is or decodes GB18030.
// Memory is bounded by SNIFF_BYTES plus one chunk, whatever the file size.
export class CsvDecoder extends Transform {
  private decided: 'utf8' | 'gb18030' | null;
  private decoder: ReturnType<typeof iconv.getDecoder> | null = null;
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(encoding: CsvEncoding) {
    super();
    this.decided = null;
    if (encoding !== 'auto') this.decide(encoding);
  }

  get encoding(): 'utf8' | 'gb18030' | null {
    return this.decided;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (this.decided) return done(null, this.convert(chunk));
    if (this.pendingBytes === 0) {
      const at = firstNonAscii(chunk);
      if (at < 0) return done(null, chunk);
      if (at > 0) this.push(chunk.subarray(0, at));
      chunk = chunk.subarray(at);
    }
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes >= SNIFF_BYTES) this.flushPending(false);
    done();
  }

  override _flush(done: TransformCallback): void {
    if (!this.decided && this.pendingBytes > 0) this.flushPending(true);
    const rest = this.decoder?.end();
    if (rest) this.push(Buffer.from(rest, 'utf8'));
    done();
  }

  private flushPending(complete: boolean): void {
    const sample = Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    this.decide(looksLikeUtf8(sample, complete) ? 'utf8' : 'gb18030');
    this.push(this.convert(sample));
  }

  private decide(encoding: 'utf8' | 'gb18030'): void {
    this.decided = encoding;
    // UTF-8 goes through as bytes (csv-parse decodes it and drops a BOM); GB18030 is decoded.
    if (encoding === 'gb18030') this.decoder = iconv.getDecoder('gb18030');
  }

  private convert(chunk: Buffer): Buffer {
    return this.decoder ? Buffer.from(this.decoder.write(chunk), 'utf8') : chunk;
  }
}
