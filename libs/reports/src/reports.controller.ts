import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';

import { AuthUser, CurrentUser, Page, Roles } from '@app/common';
import { RecomputeResult, StatsRecomputeService } from '@app/surveys';

import {
  ButlerReport,
  ChurnReportItem,
  ChurnReportQueryDto,
  DriversReport,
  PeriodQueryDto,
  TrendQueryDto,
  TrendReport,
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
  butlers(@CurrentUser() actor: AuthUser, @Query() query: PeriodQueryDto): Promise<ButlerReport> {
    return this.reports.butlers(actor, query);
  }

  @Get('butlers/:id/trend')
  trend(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: TrendQueryDto,
  ): Promise<TrendReport> {
    return this.reports.trend(actor, id, query);
  }

  @Get('drivers')
  drivers(@CurrentUser() actor: AuthUser, @Query() query: PeriodQueryDto): Promise<DriversReport> {
    return this.reports.drivers(actor, query);
  }

  @Get('churn')
  @Roles('manager', 'admin')
  churn(@CurrentUser() actor: AuthUser, @Query() query: ChurnReportQueryDto): Promise<Page<ChurnReportItem>> {
    return this.reports.churn(actor, query);
  }

  // Rebuilds the summary from the raw rows now and reports any drift (also runs nightly).
  @Post('recompute')
  @Roles('admin')
  @HttpCode(200)
  recomputeStats(): Promise<RecomputeResult> {
    return this.recompute.recompute();
  }
}
