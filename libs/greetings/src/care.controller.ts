import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

import { AuthUser, CurrentUser } from '@app/common';

import { UpcomingCareDto } from './dto/greetings.dto';
import { UpcomingCare, UpcomingCareService } from './upcoming-care.service';

export class UpcomingQueryDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(31)
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 31 })
  days?: number;
}

@ApiTags('care')
@ApiBearerAuth()
@Controller('care')
export class CareController {
  constructor(private readonly care: UpcomingCareService) {}

  // Birthdays of the caller's clients and festivals in the next `days` (7) days, today included.
  @Get('upcoming')
  @ApiOkResponse({ type: UpcomingCareDto })
  upcoming(@CurrentUser() actor: AuthUser, @Query() query: UpcomingQueryDto): Promise<UpcomingCare> {
    return this.care.upcoming(actor, query.days ?? 7);
  }
}
