import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

import { PeriodQueryDto } from '@app/reports';

import { EXPORT_FORMATS, ExportFormat } from '../export-writers';

// Which file, and which Shanghai days: the reports' period (from/to, both ends included), except
// that an export leaves an end open when it is left out (ExportsService.period).
export class ExportQueryDto extends PeriodQueryDto {
  @ApiPropertyOptional({ enum: EXPORT_FORMATS, default: 'csv' })
  @IsOptional()
  @IsIn(EXPORT_FORMATS)
  format?: ExportFormat;
}
