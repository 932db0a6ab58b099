import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';

import { AuthUser, CurrentUser, Page, PageOf, Roles } from '@app/common';
import { RecomputeResult, StatsRecomputeService } from '@app/surveys';

import {
  ButlerReport,
  ButlerReportDto,
  ChurnReportItem,
  ChurnReportItemDto,
  ChurnReportQueryDto,
  DriversReport,
  DriversReportDto,
  PeriodQueryDto,
  RecomputeResultDto,
  SatisfactionQueryDto,
  SatisfactionReport,
  SatisfactionReportDto,
  TrendQueryDto,
  TrendReport,
  TrendReportDto,
} from './dto/reports.dto';
import { ReportsService } from './reports.service';

@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports')
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly recompute: StatsRecomputeService,
  ) {}

  @Get('butlers')
  @ApiOkResponse({ type: ButlerReportDto })
  butlers(@CurrentUser() actor: AuthUser, @Query() query: PeriodQueryDto): Promise<ButlerReport> {
    return this.reports.butlers(actor, query);
  }

  @Get('butlers/:id/trend')
  @ApiOkResponse({ type: TrendReportDto })
  trend(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: TrendQueryDto,
  ): Promise<TrendReport> {
    return this.reports.trend(actor, id, query);
  }

  @Get('drivers')
  @ApiOkResponse({ type: DriversReportDto })
  drivers(@CurrentUser() actor: AuthUser, @Query() query: PeriodQueryDto): Promise<DriversReport> {
    return this.reports.drivers(actor, query);
  }

  // Satisfaction by client group: team, butler, tier, city, gender, age band, channel, aroma, RFM segment.
  @Get('satisfaction')
  @Roles('manager', 'admin')
  @ApiOkResponse({ type: SatisfactionReportDto })
  satisfaction(@CurrentUser() actor: AuthUser, @Query() query: SatisfactionQueryDto): Promise<SatisfactionReport> {
    return this.reports.satisfaction(actor, query);
  }

  @Get('churn')
  @Roles('manager', 'admin')
  @ApiOkResponse({ type: PageOf(ChurnReportItemDto) })
  churn(@CurrentUser() actor: AuthUser, @Query() query: ChurnReportQueryDto): Promise<Page<ChurnReportItem>> {
    return this.reports.churn(actor, query);
  }

  // Rebuilds the summary from the raw rows now and reports any drift (also runs nightly).
  @Post('recompute')
  @Roles('admin')
  @HttpCode(200)
  @ApiOkResponse({ type: RecomputeResultDto })
  recomputeStats(): Promise<RecomputeResult> {
    return this.recompute.recompute();
  }
}
