import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';

import { AuthUser, CurrentUser, ListOf } from '@app/common';

import { CustomerMetricsView, RecommendationsQueryDto, RecommendationView } from './dto/insights.dto';
import { InsightsService } from './insights.service';

@ApiTags('insights')
@ApiBearerAuth()
@Controller('customers/:id')
export class InsightsController {
  constructor(private readonly insights: InsightsService) {}

  @Get('metrics')
  @ApiOkResponse({ type: CustomerMetricsView })
  metrics(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<CustomerMetricsView> {
    return this.insights.metrics(actor, id);
  }

  @Get('recommendations')
  @ApiOkResponse({ type: ListOf(RecommendationView) })
  recommendations(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: RecommendationsQueryDto,
  ): Promise<{ items: RecommendationView[] }> {
    return this.insights.recommendations(actor, id, query.limit);
  }
}
