import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';

import { AuthUser, CurrentUser } from '@app/common';

import { RootCauseItemsDto, RootCauseParamDto, RootCauseReportDto, RootCausesQueryDto } from './dto/root-causes.dto';
import { RootCausesService } from './root-causes.service';

// The monthly root-cause Pareto of recovery tasks (docs/sla.md): every role, over the clients it sees.
@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports/root-causes')
export class RootCausesController {
  constructor(private readonly rootCauses: RootCausesService) {}

  @Get()
  @ApiOkResponse({ type: RootCauseReportDto })
  report(@CurrentUser() actor: AuthUser, @Query() query: RootCausesQueryDto): Promise<RootCauseReportDto> {
    return this.rootCauses.report(actor, query);
  }

  // The recovery tasks behind one bar, with the answers and cases behind them.
  @Get(':code/items')
  @ApiOkResponse({ type: RootCauseItemsDto })
  items(
    @CurrentUser() actor: AuthUser,
    @Param() params: RootCauseParamDto,
    @Query() query: RootCausesQueryDto,
  ): Promise<RootCauseItemsDto> {
    return this.rootCauses.items(actor, params.code, query);
  }
}
