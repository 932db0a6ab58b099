import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';

import { AuthUser, CurrentUser, Page, PageOf, PageQueryDto } from '@app/common';

import { TimelineEventDto } from './dto/timeline.dto';
import { TimelineEvent, TimelineService } from './timeline.service';

export class TimelineQueryDto extends PageQueryDto {}

@ApiTags('customers')
@ApiBearerAuth()
@Controller('customers/:customerId/timeline')
export class TimelineController {
  constructor(private readonly timeline: TimelineService) {}

  @Get()
  @ApiOkResponse({ type: PageOf(TimelineEventDto) })
  list(
    @CurrentUser() actor: AuthUser,
    @Param('customerId', ParseUUIDPipe) customerId: string,
    @Query() query: TimelineQueryDto,
  ): Promise<Page<TimelineEvent>> {
    return this.timeline.list(actor, customerId, query.limit, query.cursor);
  }
}
