import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

import { PAGE_SIZE } from './pagination';

// Keyset pagination parameters shared by every list: ?limit=&cursor= → { items, nextCursor }.
export class PageQueryDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(PAGE_SIZE.max)
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: PAGE_SIZE.max })
  limit?: number;

  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,400}$/, { message: 'cursor must be a value returned as nextCursor' })
  @ApiPropertyOptional({
    type: String,
    pattern: '^[A-Za-z0-9_-]{1,400}$',
    description: 'A nextCursor from the previous page',
  })
  cursor?: string;
}
