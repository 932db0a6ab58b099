import { ApiProperty, PickType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional } from 'class-validator';

import { VALIDATION_RULES, type ValidationRule } from '@app/common';
import { ListCustomersQueryDto } from '@app/customers';

import { CSV_ENCODINGS, CsvEncoding } from '../csv-decoder';
import { IMPORT_FIELDS, type ImportField, type RowFailure } from '../customer-row';

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

export class RowFailureDto implements RowFailure {
  // 1-based data row (the header is not counted).
  @ApiProperty()
  row!: number;

  // The import column at fault (English name), or null when the whole row is.
  @ApiProperty({ enum: IMPORT_FIELDS, nullable: true })
  field!: ImportField | null;

  // The rule the cell broke, as a VALIDATION_FAILED field's code, and what its sentence needs.
  @ApiProperty({ enum: Object.keys(VALIDATION_RULES) })
  code!: ValidationRule;

  @ApiProperty({ required: false, type: Object, additionalProperties: true })
  params?: Record<string, unknown>;

  @ApiProperty()
  message!: string;
}

export class ImportResultDto {
  // Names the audit_log rows of this import (entityType customer_import).
  @ApiProperty({ format: 'uuid' })
  importId!: string;

  // What the file was read as (a file of plain ASCII reads the same either way: utf8).
  @ApiProperty({ enum: ['utf8', 'gb18030'] })
  encoding!: 'utf8' | 'gb18030';

  // Data rows read (the header and blank rows are not counted).
  @ApiProperty()
  rows!: number;

  @ApiProperty()
  created!: number;

  @ApiProperty()
  updated!: number;

  // Existing clients the file named with nothing new.
  @ApiProperty()
  unchanged!: number;

  @ApiProperty()
  failedRows!: number;

  // Every failure, one per row and field; `failed` lists the first ones only.
  @ApiProperty()
  failedTotal!: number;

  @ApiProperty({ type: () => RowFailureDto, isArray: true })
  failed!: RowFailureDto[];
}
