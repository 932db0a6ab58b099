import { pipeline, Readable, Transform } from 'node:stream';

import { parse } from 'csv-parse';

import { AppError } from '@app/common';

// A record longer than this is a broken quote swallowing the rest of the file, not a client.
const MAX_RECORD_CHARS = 64 * 1024;

export interface CsvRecord {
  // 0 for the header, then 1, 2, … for data rows: the way a person counts rows below the header.
  row: number;
  cells: string[];
}

// The CSV records of a byte stream, numbered, read as they arrive. A record csv-parse cannot
// read is reported through onBadRecord and skipped; the ones after it keep their numbers.
export async function* csvRecords(
  source: Readable,
  decoder: Transform,
  onBadRecord: (row: number, message: string) => void,
): AsyncGenerator<CsvRecord> {
  // csv-parse leaves skipped records out of its count and reports skips ahead of the records it
  // has buffered, so each skip is remembered by how many records preceded it.
  const skipMarks: number[] = [];
  const parser = parse({
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    max_record_size: MAX_RECORD_CHARS,
    skip_records_with_error: true,
    info: true,
    on_skip: (error) => {
      const before = Number((error as { records?: unknown } | undefined)?.records ?? 0);
      const row = before + skipMarks.length;
      skipMarks.push(before);
      onBadRecord(row, `row is not valid CSV: ${error?.message ?? 'unreadable'}`);
    },
  });
  // Errors surface through the iteration below.
  pipeline(source, decoder, parser, () => undefined);

  let skipped = 0;
  let seen = 0;
  try {
    for await (const entry of parser as AsyncIterable<{ record: string[]; info: { records: number } }>) {
      while (seen < skipMarks.length && skipMarks[seen] < entry.info.records) {
        seen += 1;
        skipped += 1;
      }
      yield { row: entry.info.records + skipped - 1, cells: entry.record };
    }
  } catch (error) {
    // The upload itself failed (cut short, too large): the caller's fault, so a 400 naming it.
    if (error instanceof AppError) throw error;
    throw new AppError(
      'invalid',
      [
        `file: the upload could not be read to its end (${(error as Error).message}); ` +
          'rows before that point were imported',
      ],
      { code: 'IMPORT_FILE_UNREADABLE', field: 'file' },
    );
  }
}
