import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';

import { AuthUser, CurrentUser, Page, PageOf } from '@app/common';

import { ListSurveyResultsQueryDto, SurveyResultDto } from './dto/survey-result.dto';
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
}
