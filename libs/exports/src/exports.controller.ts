import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';

import { AuthUser, CurrentUser } from '@app/common';

import { ExportQueryDto } from './dto/export-query.dto';
import { ExportFile, ExportKind, ExportsService } from './exports.service';

const FILE = {
  description: 'CSV (UTF-8 with BOM, Chinese headers, formula-safe) or .xlsx, as an attachment, streamed',
  schema: { type: 'string', format: 'binary' },
};

function download(file: ExportFile): StreamableFile {
  return new StreamableFile(file.stream, {
    type: file.contentType,
    disposition: `attachment; filename="${file.filename}"`,
  });
}

// Every role may export; each sees in the file exactly what the access policy lets them see.
@ApiTags('exports')
@ApiBearerAuth()
@ApiProduces('text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
@Controller('exports')
export class ExportsController {
  constructor(private readonly exports: ExportsService) {}

  @Get('survey-responses')
  @ApiOperation({ summary: 'Survey responses (frozen butler, tier, city, channel, themes) by answer day' })
  @ApiOkResponse(FILE)
  async responses(@CurrentUser() actor: AuthUser, @Query() query: ExportQueryDto): Promise<StreamableFile> {
    return download(await this.exports.export(actor, 'survey-responses', query));
  }

  @Get('cases')
  @ApiOperation({ summary: 'After-sales cases by opening day' })
  @ApiOkResponse(FILE)
  async cases(@CurrentUser() actor: AuthUser, @Query() query: ExportQueryDto): Promise<StreamableFile> {
    return download(await this.exports.export(actor, 'cases', query));
  }

  @Get('follow-ups')
  @ApiOperation({ summary: 'Follow-ups by due day' })
  @ApiOkResponse(FILE)
  async followUps(@CurrentUser() actor: AuthUser, @Query() query: ExportQueryDto): Promise<StreamableFile> {
    return download(await this.exports.export(actor, 'follow-ups', query));
  }

  @Get('scorecard')
  @ApiOperation({ summary: 'The butler scorecard (GET /reports/butlers) of the period' })
  @ApiOkResponse(FILE)
  async scorecard(@CurrentUser() actor: AuthUser, @Query() query: ExportQueryDto): Promise<StreamableFile> {
    return download(await this.exports.export(actor, 'scorecard' satisfies ExportKind, query));
  }
}
