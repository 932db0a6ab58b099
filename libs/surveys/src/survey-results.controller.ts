import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';

import { AuthUser, CurrentUser, Page, PageOf, Roles } from '@app/common';

import { ClearFlagDto, ListSurveyResultsQueryDto, SurveyResultDto } from './dto/survey-result.dto';
import { SurveyResultsService } from './survey-results.service';

@ApiTags('surveys')
@ApiBearerAuth()
@Controller('surveys')
export class SurveyResultsController {
  constructor(private readonly results: SurveyResultsService) {}

  @Get('responses')
  @ApiOkResponse({ type: PageOf(SurveyResultDto) })
  list(@CurrentUser() actor: AuthUser, @Query() query: ListSurveyResultsQueryDto): Promise<Page<SurveyResultDto>> {
    return this.results.list(actor, query);
  }

  // A manager trusts a flagged answer after all (rating integrity): it counts again; audited.
  @Post('responses/:id/clear-flag')
  @Roles('manager', 'admin')
  @HttpCode(200)
  @ApiOkResponse({ type: SurveyResultDto })
  clearFlag(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ClearFlagDto,
  ): Promise<SurveyResultDto> {
    return this.results.clearFlag(actor, id, body);
  }
}
