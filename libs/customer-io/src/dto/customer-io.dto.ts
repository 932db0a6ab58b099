import { ApiProperty, PickType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional } from 'class-validator';

import { ListCustomersQueryDto } from '@app/customers';

import { CSV_ENCODINGS, CsvEncoding } from '../csv-decoder';
import type { RowFailure } from '../customer-row';

const ENCODING_ALIASES: Record<string, CsvEncoding> = { 'utf-8': 'utf8', gbk: 'gb18030', gb2312: 'gb18030' };

export class ImportCustomersQueryDto {
  // "auto" (the default) tells UTF-8 (with or without BOM) from GB18030 by looking at the bytes.
  @ApiProperty({ enum: CSV_ENCODINGS, required: false })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? (ENCODING_ALIASES[value.trim().toLowerCase()] ?? value.trim().toLowerCase()) : value,
  )
  @IsIn(CSV_ENCODINGS)
  encoding?: CsvEncoding;
}

// The list's filters, with the list's rules.
export class ExportCustomersQueryDto extends PickType(ListCustomersQueryDto, ['butlerId', 'tier', 'tag'] as const) {}

export interface ImportResultDto {
  // Names the audit_log rows of this import (entityType customer_import).
  importId: string;
  // What the file was read as (a file of plain ASCII reads the same either way: utf8).
  encoding: 'utf8' | 'gb18030';
  // Data rows read (the header and blank rows are not counted).
  rows: number;
  created: number;
  updated: number;
  // Existing clients the file named with nothing new.
  unchanged: number;
  failedRows: number;
  // Every failure, one per row and field; `failed` lists the first ones only.
  failedTotal: number;
  failed: RowFailure[];
}
