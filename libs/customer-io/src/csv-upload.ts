import { Readable, Transform } from 'node:stream';

import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';

import { AppError } from '@app/common';

// The byte cap is IMPORT_MAX_MB (AppConfig), for multipart and text/csv bodies alike.
const tooLarge = (maxBytes: number): AppError =>
  new AppError(
    'too_large',
    `file is larger than ${Math.round(maxBytes / 1024 / 1024)} MB: split it into several files`,
    { code: 'IMPORT_TOO_LARGE', field: 'file', maxMb: Math.round(maxBytes / 1024 / 1024) },
  );

// Passes the bytes on until there are more than `max`, then fails the stream with a 413.
function capped(source: Readable, max: number): Readable {
  let seen = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      callback(seen > max ? tooLarge(max) : null, chunk);
    },
  });
  source.once('error', (error) => counter.destroy(error));
  return source.pipe(counter);
}

// Multipart for the import, plus text/csv bodies handed over as the raw stream (the JSON body
// limit does not apply to either: nothing is buffered).
export async function registerCsvUploads(fastify: FastifyInstance, maxBytes: number): Promise<void> {
  if (!fastify.hasPlugin('@fastify/multipart')) {
    await fastify.register(multipart, {
      limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 1024, parts: 20 },
    });
  }
  if (!fastify.hasContentTypeParser('text/csv')) {
    fastify.addContentTypeParser(['text/csv', 'application/csv'], (_request, payload, done) => done(null, payload));
  }
}

const missingFile = (detail: string): AppError =>
  new AppError(
    'invalid',
    [`file is required: send multipart/form-data with one file field named "file" (or a text/csv body); ${detail}`],
    { code: 'IMPORT_FILE_MISSING', field: 'file' },
  );

// The uploaded CSV as a byte stream, read as it arrives.
export async function openCsvUpload(request: FastifyRequest, maxBytes: number): Promise<Readable> {
  // A declared length over the cap is refused before a byte is read; an undeclared one is cut off
  // as it passes the cap (found by a red team: a 530 MB text/csv body was read to the end).
  if (Number(request.headers['content-length'] ?? 0) > maxBytes + 64 * 1024) throw tooLarge(maxBytes);
  if (request.body instanceof Readable) return capped(request.body, maxBytes);
  if (!request.isMultipart()) throw missingFile(`got ${request.headers['content-type'] ?? 'no content type'}`);
  let part: Awaited<ReturnType<FastifyRequest['file']>>;
  try {
    part = await request.file();
  } catch (error) {
    throw missingFile(`the multipart body could not be read (${(error as Error).message})`);
  }
  if (!part) throw missingFile('the body has no file part');
  if (part.fieldname !== 'file') {
    part.file.resume();
    throw missingFile(`the file part is named "${part.fieldname}"`);
  }
  const file = part.file;
  // Busboy cuts a file at the limit and ends the stream as if it were complete: fail instead.
  file.once('limit', () => file.destroy(tooLarge(maxBytes)));
  return file;
}
