import { Readable } from 'node:stream';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '@app/common';

// Far above any real client book (100,000 clients is about 15 MB); the file is streamed, never
// held in memory, so this only bounds how long one request may run.
export const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

// Multipart for the import, plus text/csv bodies handed over as the raw stream (the JSON body
// limit does not apply to either: nothing is buffered).
export async function registerCsvUploads(fastify: FastifyInstance): Promise<void> {
  if (!fastify.hasPlugin('@fastify/multipart')) {
    await fastify.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10, fieldSize: 1024, parts: 20 } });
  }
  if (!fastify.hasContentTypeParser('text/csv')) {
    fastify.addContentTypeParser(['text/csv', 'application/csv'], (_request, payload, done) => done(null, payload));
  }
}

const missingFile = (detail: string): AppError =>
  new AppError('invalid', [`file is required: send multipart/form-data with one file field named "file" (or a text/csv body); ${detail}`]);

// The uploaded CSV as a byte stream, read as it arrives.
export async function openCsvUpload(request: FastifyRequest): Promise<Readable> {
  if (request.body instanceof Readable) return request.body;
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
  file.once('limit', () => file.destroy(new AppError('invalid', [`file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`])));
  return file;
}
