import { pipeline, Readable } from 'node:stream';

import { Injectable, Logger } from '@nestjs/common';
import { stringify } from 'csv-stringify';

import { AuthUser, Clock, shanghaiDay } from '@app/common';

import { CustomerIoRepository } from './customer-io.repository';
import { EXPORT_HEADER, exportCells } from './customer-row';
import { ExportCustomersQueryDto } from './dto/customer-io.dto';

const PAGE_SIZE = 1000;

@Injectable()
export class CustomerExportService {
  private readonly logger = new Logger(CustomerExportService.name);

  constructor(
    private readonly repo: CustomerIoRepository,
    private readonly clock: Clock,
  ) {}

  // CSV with a UTF-8 BOM (so Excel reads the Chinese) and the import's Chinese headers (so the
  // file can be edited and imported back). Every cell holding a line break (CR or LF alone too,
  // not only the CRLF that ends a record) is quoted. Butler by butler, clients by name. Pages are
  // read as the client downloads: a slow client slows the reads instead of filling memory.
  export(actor: AuthUser, query: ExportCustomersQueryDto): { filename: string; stream: Readable } {
    const pages = this.rows(actor, query);
    const csv = pipeline(
      pages,
      stringify({
        bom: true,
        header: true,
        columns: EXPORT_HEADER,
        record_delimiter: 'windows',
        quoted_match: /[\r\n]/,
      }),
      (error) => {
        // Headers are out by then: the response is cut off, so the client sees a failed download.
        // A client that hangs up early is not an error of ours.
        if (error && (error as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE')
          this.logger.error(`customer export failed: ${error.message}`);
      },
    );
    return { filename: `customers-${shanghaiDay(this.clock.now()).replace(/-/g, '')}.csv`, stream: csv };
  }

  private async *rows(actor: AuthUser, query: ExportCustomersQueryDto): AsyncGenerator<string[]> {
    for (const butler of await this.repo.exportButlers(actor, query.butlerId)) {
      let after: { name: string; id: string } | null = null;
      for (;;) {
        const page = await this.repo.exportPage(actor, butler.id, query, after, PAGE_SIZE);
        for (const customer of page) yield exportCells({ ...customer, butlerEmail: butler.email });
        if (page.length < PAGE_SIZE) break;
        after = page[page.length - 1];
      }
    }
  }
}
