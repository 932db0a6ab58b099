import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';

import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { EntityManager } from 'typeorm';

import { scopeOf } from '@app/access';
import { AuditService, ExistenceProbes } from '@app/audit';
import { AppError, AuthUser } from '@app/common';
import { AppConfig } from '@app/config';
import { CustomerBatchRepository, CustomersReassigned, emitInTransaction } from '@app/customers';

import { CsvDecoder, CsvEncoding } from './csv-decoder';
import { csvRecords } from './csv-records';
import { ButlerRow, CustomerIoRepository, sqlRow } from './customer-io.repository';
import { ImportField, ImportRecord, readHeader, readRow, RowFailure, RowResult } from './customer-row';
import { ImportResultDto } from './dto/customer-io.dto';
import { MobileIndex } from './mobile-index';

// Rows per transaction: big enough that round trips do not matter, small enough that one
// batch's lock set and parameters stay small.
export const IMPORT_BATCH_SIZE = 1000;
// Batches written at once, each in its own transaction and connection.
const WRITE_LANES = 2;
// Failures listed in the answer; failedTotal counts them all.
export const MAX_LISTED_FAILURES = 1000;

// Everything one import has learnt so far. Only committed batches add to the counts.
class ImportRun {
  readonly id = randomUUID();
  // Rows answered "outside your team": each says another team holds that mobile.
  outsideTeam = 0;
  rows = 0;
  created = 0;
  updated = 0;
  unchanged = 0;
  failedRows = 0;
  failedTotal = 0;
  readonly failed: RowFailure[] = [];
  batches = 0;
  // The data row that brought each mobile, to flag a mobile the file repeats.
  readonly firstRows = new MobileIndex();
  // Butlers looked up so far (key `id:` or `email:`), null when there is no such active butler.
  readonly butlers = new Map<string, ButlerRow | null>();

  constructor(readonly actor: AuthUser) {}

  fail(failures: RowFailure[]): void {
    this.failedRows += 1;
    this.failedTotal += failures.length;
    for (const f of failures) if (this.failed.length < MAX_LISTED_FAILURES) this.failed.push(f);
  }
}

// Writes batches on up to `lanes` connections at once while the file is read on; the reader
// waits for a free lane, so memory holds `lanes` batches in flight and the one being filled.
// The database does most of an import's work, so two lanes use both cores of a small machine.
// Batches of one file never touch the same client (a repeated mobile is refused before), so
// they do not wait on each other's locks. A failure stops the batches not yet started.
class WriteQueue {
  private readonly running = new Set<Promise<void>>();
  private failure: { error: unknown } | null = null;

  constructor(private readonly lanes: number) {}

  async push(write: () => Promise<void>): Promise<void> {
    while (this.running.size >= this.lanes) await Promise.race(this.running);
    if (this.failure) throw this.failure.error;
    const writing: Promise<void> = write()
      .catch((error: unknown) => {
        this.failure ??= { error };
      })
      .finally(() => this.running.delete(writing));
    this.running.add(writing);
  }

  async drain(): Promise<void> {
    await Promise.all(this.running);
    if (this.failure) throw this.failure.error;
  }
}

interface BatchOutcome {
  created: string[];
  updated: string[];
  unchanged: number;
  failures: RowFailure[][];
}

const butlerKey = (ref: NonNullable<ImportRecord['butler']>): string =>
  'id' in ref ? `id:${ref.id}` : `email:${ref.email}`;
const butlerField = (ref: NonNullable<ImportRecord['butler']>): ImportField =>
  'id' in ref ? 'butlerId' : 'butlerEmail';

// PostgreSQL classes 22 (data exception) and 23 (integrity constraint): something about the rows
// themselves, so splitting the batch finds the culprit. Anything else (connection lost) is not.
const isRowError = (error: unknown): boolean => /^2[23]/.test(String((error as { code?: unknown }).code ?? ''));
const isRetryable = (error: unknown): boolean =>
  ['40P01', '40001'].includes(String((error as { code?: unknown }).code ?? ''));

@Injectable()
export class CustomerImportService {
  private readonly logger = new Logger(CustomerImportService.name);

  constructor(
    private readonly repo: CustomerIoRepository,
    private readonly customers: CustomerBatchRepository,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly probes: ExistenceProbes,
    private readonly events: EventEmitter2,
  ) {}

  // Streams the file: bytes → decoder → CSV records → validated rows → batches, each written in
  // its own transaction while the next ones are read. Memory holds a few batches, whatever the
  // file size (plus 24 bytes per distinct mobile, to catch repeats).
  async import(actor: AuthUser, source: Readable, encoding: CsvEncoding): Promise<ImportResultDto> {
    // A file of other teams' mobiles maps their books: such rows count against the user's hourly
    // budget of those answers (ExistenceProbes), audited once per import with their number.
    await this.probes.allow(actor);
    const run = new ImportRun(actor);
    const decoder = new CsvDecoder(encoding);
    const writes = new WriteQueue(WRITE_LANES);
    let headerBroken = false;
    const records = csvRecords(source, decoder, (row, message) => {
      if (row === 0) headerBroken = true;
      else {
        run.rows += 1;
        run.fail([{ row, field: null, code: 'malformedRow', message }]);
      }
    });

    let fields: (ImportField | null)[] | null = null;
    const batch: ImportRecord[] = [];
    const flush = async (): Promise<void> => {
      const rows = batch.splice(0);
      await writes.push(() => this.write(run, rows));
    };
    try {
      for await (const record of records) {
        if (headerBroken)
          throw new AppError('invalid', ['file: the header row is not valid CSV'], {
            code: 'IMPORT_HEADER_INVALID',
            field: 'file',
            notCsv: true,
          });
        if (!fields) {
          const header = readHeader(record.cells);
          if (header.problems.length > 0)
            throw new AppError(
              'invalid',
              header.problems.map((p) => `file: ${p}`),
              {
                code: 'IMPORT_HEADER_INVALID',
                field: 'file',
                unknownColumns: header.unknownColumns,
                repeatedColumns: header.repeatedColumns,
                missingMobile: !header.fields.includes('mobile'),
              },
            );
          fields = header.fields;
          continue;
        }
        if (record.cells.every((cell) => cell.trim() === '')) continue;
        run.rows += 1;
        if (run.rows > this.config.http.IMPORT_MAX_ROWS) {
          throw new AppError(
            'too_large',
            `file has more than ${this.config.http.IMPORT_MAX_ROWS.toLocaleString('en-US')} rows: ` +
              'the rows before were imported; import the rest as another file',
            {
              code: 'IMPORT_TOO_MANY_ROWS',
              field: 'file',
              maxRows: this.config.http.IMPORT_MAX_ROWS,
            },
          );
        }
        const valid = this.check(run, readRow(fields, record.cells, record.row));
        if (!valid) continue;
        batch.push(valid);
        if (batch.length >= IMPORT_BATCH_SIZE) await flush();
      }
      if (!fields)
        throw new AppError(
          'invalid',
          [headerBroken ? 'file: the header row is not valid CSV' : 'file: the CSV has no header row'],
          { code: 'IMPORT_HEADER_INVALID', field: 'file', notCsv: headerBroken, missingMobile: !headerBroken },
        );
      if (batch.length > 0) await flush();
      await writes.drain();
    } catch (error) {
      // Let the batches already queued finish (or fail) before answering, so "rows before that
      // point were imported" holds.
      await writes.drain().catch(() => undefined);
      throw error;
    }

    if (run.outsideTeam > 0) await this.probes.note(actor, 'import.mobile', 'customer_import', run.id, run.outsideTeam);
    run.failed.sort((a, b) => a.row - b.row);
    return {
      importId: run.id,
      encoding: decoder.encoding ?? 'utf8',
      rows: run.rows,
      created: run.created,
      updated: run.updated,
      unchanged: run.unchanged,
      failedRows: run.failedRows,
      failedTotal: run.failedTotal,
      failed: run.failed,
    };
  }

  // The row's record when it is valid and its mobile new to this file; failures go on the run.
  private check(run: ImportRun, result: RowResult): ImportRecord | null {
    if (!result.ok) {
      run.fail(result.failures);
      return null;
    }
    // A file that names one mobile twice is likely a mistake (two people, or a pasted row): the
    // first row is imported and the later ones are flagged, rather than silently merged.
    const { record } = result;
    const first = run.firstRows.claim(Number(record.mobile), record.row);
    if (first !== undefined) {
      run.fail([
        {
          row: record.row,
          field: 'mobile',
          code: 'repeatedInFile',
          params: { row: first },
          message: `mobile repeats row ${first} of this file (a mobile is imported once per file)`,
        },
      ]);
      return null;
    }
    return record;
  }

  // One transaction per batch. Should PostgreSQL refuse the batch because of a row we did not
  // foresee, the batch is split in halves until the bad row is alone, so it never sinks the rest.
  private async write(run: ImportRun, records: ImportRecord[], attempt = 1): Promise<void> {
    let outcome: BatchOutcome;
    try {
      outcome = await this.customers.transaction((em) => this.writeBatch(em, run, records));
    } catch (error) {
      if (isRetryable(error) && attempt < 3) return this.write(run, records, attempt + 1);
      if (!isRowError(error)) throw error;
      if (records.length === 1) {
        this.logger.warn(
          `import ${run.id}: row ${records[0].row} refused by the database: ${(error as Error).message}`,
        );
        run.fail([{ row: records[0].row, field: null, code: 'notSaved', message: 'row could not be saved' }]);
        return;
      }
      const half = Math.ceil(records.length / 2);
      await this.write(run, records.slice(0, half));
      await this.write(run, records.slice(half));
      return;
    }
    run.created += outcome.created.length;
    run.updated += outcome.updated.length;
    run.unchanged += outcome.unchanged;
    for (const failures of outcome.failures) run.fail(failures);
  }

  private async writeBatch(em: EntityManager, run: ImportRun, records: ImportRecord[]): Promise<BatchOutcome> {
    const { actor } = run;
    await this.loadButlers(em, run, records);
    const existing = new Map(
      (
        await this.customers.lockByMobile(
          em,
          records.map((r) => r.mobile),
        )
      ).map((c) => [c.mobile, c]),
    );
    const failures: RowFailure[][] = [];
    const updates: ReturnType<typeof sqlRow>[] = [];
    const inserts: ImportRecord[] = [];
    const reassigned: { id: string; from: string; to: string }[] = [];

    const scope = scopeOf(actor);
    for (const record of records) {
      const rowFailures: RowFailure[] = [];
      const butler = record.butler ? run.butlers.get(butlerKey(record.butler)) : undefined;
      if (record.butler && (!butler || !scope.seesUser(butler))) {
        const field = butlerField(record.butler);
        rowFailures.push({
          row: record.row,
          field,
          code: 'isActiveButler',
          params: { team: actor.role === 'manager' },
          message: `${field} must be an active butler${actor.role === 'manager' ? ' of your team' : ''}`,
        });
      }
      const client = existing.get(record.mobile);
      if (client) {
        // Another team's client: say so without naming them.
        if (!scope.seesClient({ butlerId: client.butlerId, butlerManagerId: client.managerId, deleted: false })) {
          rowFailures.push({
            row: record.row,
            field: 'mobile',
            code: 'outsideTeam',
            message: 'mobile belongs to a client outside your team',
          });
          run.outsideTeam += 1;
        }
      } else {
        if (!record.name)
          rowFailures.push({
            row: record.row,
            field: 'name',
            code: 'required',
            message: 'name is required to create a client',
          });
        if (!record.butler)
          rowFailures.push({
            row: record.row,
            field: 'butlerEmail',
            code: 'required',
            message: 'butlerEmail or butlerId is required to create a client',
          });
      }
      if (rowFailures.length > 0) {
        failures.push(rowFailures);
        continue;
      }
      if (client) {
        updates.push(sqlRow(record, client.id, butler?.id ?? null));
        if (butler && butler.id !== client.butlerId)
          reassigned.push({ id: client.id, from: client.butlerId, to: butler.id });
      } else {
        inserts.push(record);
      }
    }

    const updated = await this.customers.updateMany(em, updates);
    await emitInTransaction(
      this.events,
      new CustomersReassigned(
        em,
        reassigned.map((r) => r.id),
        actor.id,
        reassigned.map((r) => ({ customerId: r.id, from: r.from, to: r.to })),
      ),
    );
    const inserted = await this.customers.insertMany(
      em,
      inserts.map((r) => sqlRow(r, null, r.butler ? (run.butlers.get(butlerKey(r.butler))?.id ?? null) : null)),
    );
    if (inserted.length < inserts.length) {
      const done = new Set(inserted.map((c) => c.mobile));
      for (const r of inserts) {
        if (!done.has(r.mobile))
          failures.push([
            {
              row: r.row,
              field: 'mobile',
              code: 'savedByOther',
              message: 'mobile was just added by someone else; import this row again',
            },
          ]);
      }
    }

    const created = inserted.map((c) => c.id);
    run.batches += 1;
    if (created.length > 0 || updated.length > 0) {
      // One audit row per batch (same transaction): the ids make every client's import traceable
      // without writing a second row for each client.
      await this.audit.record(em, {
        actorId: actor.id,
        action: 'import',
        entityType: 'customer_import',
        entityId: run.id,
        changes: {
          batch: run.batches,
          rows: [records[0].row, records[records.length - 1].row],
          created,
          updated,
          reassigned,
        },
      });
    }
    return { created, updated, unchanged: updates.length - updated.length, failures };
  }

  // Looks up, in one query, the butlers this batch names that earlier batches did not.
  private async loadButlers(em: EntityManager, run: ImportRun, records: ImportRecord[]): Promise<void> {
    const ids = new Set<string>();
    const emails = new Set<string>();
    for (const { butler } of records) {
      if (!butler || run.butlers.has(butlerKey(butler))) continue;
      if ('id' in butler) ids.add(butler.id);
      else emails.add(butler.email);
    }
    if (ids.size === 0 && emails.size === 0) return;
    const found = await this.repo.findButlers(em, [...ids], [...emails]);
    for (const id of ids) run.butlers.set(`id:${id}`, found.find((b) => b.id === id) ?? null);
    for (const email of emails) run.butlers.set(`email:${email}`, found.find((b) => b.email === email) ?? null);
  }
}
