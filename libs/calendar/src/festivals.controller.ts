import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

import { Clock, shanghaiDay } from '@app/common';

import { FestivalYearDto } from './dto/festivals.dto';
import { festivalsOf } from './festivals';

export class FestivalsQueryDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1901)
  @Max(2099)
  @ApiPropertyOptional({ type: 'integer', minimum: 1901, maximum: 2099 })
  year?: number;
}

@ApiTags('festivals')
@ApiBearerAuth()
@Controller('festivals')
export class FestivalsController {
  constructor(private readonly clock: Clock) {}

  // That year's festival dates (solar), computed; the current year in Asia/Shanghai by default.
  @Get()
  @ApiOkResponse({ type: FestivalYearDto })
  list(@Query() query: FestivalsQueryDto): FestivalYearDto {
    const year = query.year ?? Number(shanghaiDay(this.clock.now()).slice(0, 4));
    return { year, items: festivalsOf(year) };
  }
}
