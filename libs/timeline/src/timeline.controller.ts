import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { AuthUser, CurrentUser } from '@app/common';
import { TimelineEvent, TimelineService } from './timeline.service';

export class TimelineQueryDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,400}$/, { message: 'cursor must be a value returned as nextCursor' })
  cursor?: string;
}

@ApiTags('customers')
@ApiBearerAuth()
@Controller('customers/:customerId/timeline')
export class TimelineController {
  constructor(private readonly timeline: TimelineService) {}

  @Get()
  list(
    @CurrentUser() actor: AuthUser,
    @Param('customerId', ParseUUIDPipe) customerId: string,
    @Query() query: TimelineQueryDto,
  ): Promise<{ items: TimelineEvent[]; nextCursor: string | null }> {
    return this.timeline.list(actor, customerId, query.limit, query.cursor);
  }
}
