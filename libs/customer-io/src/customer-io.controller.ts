import { Controller, Get, HttpCode, Post, Query, Req, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';

import { AuthUser, CurrentUser, Roles } from '@app/common';
import { AppConfig } from '@app/config';

import { openCsvUpload } from './csv-upload';
import { CustomerExportService } from './customer-export.service';
import { CustomerImportService } from './customer-import.service';
import { ExportCustomersQueryDto, ImportCustomersQueryDto, ImportResultDto } from './dto/customer-io.dto';

@ApiTags('customers')
@ApiBearerAuth()
@Roles('manager', 'admin')
@Controller('customers')
export class CustomerIoController {
  constructor(
    private readonly importer: CustomerImportService,
    private readonly exporter: CustomerExportService,
    private readonly config: AppConfig,
  ) {}

  // multipart/form-data with one file field `file`, or the CSV itself as a text/csv body.
  @Post('import')
  @HttpCode(200)
  @ApiOkResponse({ type: ImportResultDto })
  // Each media type its own schema (@ApiBody would give the CSV body the form's).
  @ApiOperation({
    requestBody: {
      required: true,
      content: {
        'multipart/form-data': {
          schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } },
        },
        'text/csv': { schema: { type: 'string', format: 'binary' } },
      },
    },
  })
  async import(
    @CurrentUser() actor: AuthUser,
    @Query() query: ImportCustomersQueryDto,
    @Req() request: FastifyRequest,
  ): Promise<ImportResultDto> {
    return this.importer.import(
      actor,
      await openCsvUpload(request, this.config.http.IMPORT_MAX_MB * 1024 * 1024),
      query.encoding ?? 'auto',
    );
  }

  @Get('export')
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description: 'CSV (UTF-8 with BOM), as an attachment',
    schema: { type: 'string', format: 'binary' },
  })
  export(@CurrentUser() actor: AuthUser, @Query() query: ExportCustomersQueryDto): StreamableFile {
    const { filename, stream } = this.exporter.export(actor, query);
    return new StreamableFile(stream, {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="${filename}"`,
    });
  }
}
