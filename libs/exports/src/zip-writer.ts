import { once } from 'node:events';
import { PassThrough, TransformOptions } from 'node:stream';
import { constants, crc32, createDeflateRaw, ZlibOptions } from 'node:zlib';

// A streamed .zip (the container of an .xlsx) written with node:zlib, entry by entry, with the
// download's backpressure at every step: the producer waits while the deflate stream is full, and
// the deflate stream is paused while the download's buffer is (pipe). exceljs's writer (archiver)
// did not wait on deflate, so a fast cursor piled the backlog up in memory (docs/limits.md).
//
// Each entry's sizes and CRC follow its data (a data descriptor, flag bit 3), so nothing is held
// back. No ZIP64: an entry or the whole file past 4 GiB, or 65,535 entries, is refused (an .xlsx
// sheet holds at most 1,048,576 rows, about 450 MB of XML; the compressed file stays far below).
const LIMIT = 0xffffffff;
// Level 1, for speed: the sheet XML is repetitive enough that the fastest level still makes the 1M-row
// export 67 MiB (exceljs's default made 81 MiB).
const LEVEL = 1;
const DEFLATE_CHUNK = 1024 * 1024;
// Bit 3: sizes in a data descriptor after the data; bit 11: names are UTF-8.
const FLAGS = 0x0808;
// 1980-01-01 00:00 in MS-DOS form: the entries carry no time (the file is the same whenever made).
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

interface Entry {
  name: Buffer;
  offset: number;
  crc: number;
  compressed: number;
  size: number;
}

export class ZipWriter {
  // What the download reads.
  readonly out = new PassThrough({ highWaterMark: 256 * 1024 });
  private offset = 0;
  private readonly entries: Entry[] = [];

  // One deflated entry; `write` gives its content chunk by chunk through `put`, which resolves when
  // there is room for more. Returns false when the download is gone.
  async entry(name: string, write: (put: (chunk: Buffer) => Promise<boolean>) => Promise<void>): Promise<boolean> {
    if (this.out.destroyed) return false;
    if (this.entries.length === 0xffff) throw new Error('zip: too many entries');
    const entry: Entry = { name: Buffer.from(name, 'utf8'), offset: this.offset, crc: 0, compressed: 0, size: 0 };
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(FLAGS, 6);
    header.writeUInt16LE(8, 8);
    header.writeUInt16LE(DOS_TIME, 10);
    header.writeUInt16LE(DOS_DATE, 12);
    header.writeUInt16LE(entry.name.length, 26);
    this.push(Buffer.concat([header, entry.name]));

    // Large chunks: each hop between this thread and zlib's (the thread pool) costs, and at 16 KB
    // (the default) a 1M-row sheet made tens of thousands of them, on a busy machine each a wait.
    // (zlib streams take a Transform's options too; @types/node leaves them out of ZlibOptions.)
    const options: ZlibOptions & TransformOptions = {
      level: LEVEL,
      strategy: constants.Z_DEFAULT_STRATEGY,
      chunkSize: DEFLATE_CHUNK,
      writableHighWaterMark: DEFLATE_CHUNK,
      readableHighWaterMark: DEFLATE_CHUNK,
    };
    const deflate = createDeflateRaw(options);
    deflate.on('data', (chunk: Buffer) => {
      entry.compressed += chunk.length;
    });
    deflate.pipe(this.out, { end: false });
    const ended = once(deflate, 'end');
    const put = async (chunk: Buffer): Promise<boolean> => {
      if (this.out.destroyed) return false;
      entry.crc = crc32(chunk, entry.crc);
      entry.size += chunk.length;
      if (entry.size > LIMIT) throw new Error('zip: entry past 4 GiB');
      if (!deflate.write(chunk)) {
        // Until there is room, or the download is gone; the loser's listener is removed.
        const settled = new AbortController();
        await Promise.race([
          once(deflate, 'drain', { signal: settled.signal }),
          once(this.out, 'close', { signal: settled.signal }),
        ]);
        settled.abort();
      }
      return !this.out.destroyed;
    };
    try {
      await write(put);
    } finally {
      deflate.end();
    }
    if (this.out.destroyed) {
      deflate.destroy();
      return false;
    }
    await ended;
    deflate.unpipe(this.out);
    this.offset += entry.compressed;
    const descriptor = Buffer.alloc(16);
    descriptor.writeUInt32LE(0x08074b50, 0);
    descriptor.writeUInt32LE(entry.crc, 4);
    descriptor.writeUInt32LE(entry.compressed, 8);
    descriptor.writeUInt32LE(entry.size, 12);
    this.push(descriptor);
    this.entries.push(entry);
    if (this.offset > LIMIT) throw new Error('zip: file past 4 GiB');
    return true;
  }

  // The central directory, then the end of the download.
  finish(): void {
    if (this.out.destroyed) return;
    const start = this.offset;
    for (const e of this.entries) {
      const record = Buffer.alloc(46);
      record.writeUInt32LE(0x02014b50, 0);
      record.writeUInt16LE(20, 4);
      record.writeUInt16LE(20, 6);
      record.writeUInt16LE(FLAGS, 8);
      record.writeUInt16LE(8, 10);
      record.writeUInt16LE(DOS_TIME, 12);
      record.writeUInt16LE(DOS_DATE, 14);
      record.writeUInt32LE(e.crc, 16);
      record.writeUInt32LE(e.compressed, 20);
      record.writeUInt32LE(e.size, 24);
      record.writeUInt16LE(e.name.length, 28);
      record.writeUInt32LE(e.offset, 42);
      this.push(Buffer.concat([record, e.name]));
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.entries.length, 8);
    end.writeUInt16LE(this.entries.length, 10);
    end.writeUInt32LE(this.offset - start, 12);
    end.writeUInt32LE(start, 16);
    this.push(end);
    this.out.end();
  }

  // Headers and directory records: a few dozen bytes each, written at once.
  private push(chunk: Buffer): void {
    this.offset += chunk.length;
    this.out.write(chunk);
  }
}
