import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';

import { AuthUser, CurrentUser, Roles } from '@app/common';

import { CommentThemesService } from './comment-themes.service';
import {
  AnalyzeCommentsDto,
  AnalyzeCommentsResultDto,
  CorrectedThemesDto,
  CorrectThemesDto,
  ThemeCountsDto,
  ThemeCountsQueryDto,
} from './dto/comment-themes.dto';

@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports/comment-themes')
export class CommentThemesController {
  constructor(private readonly themes: CommentThemesService) {}

  // What the period's comments speak of, by theme (per butler or team), with example quotes.
  @Get()
  @Roles('manager', 'admin')
  @ApiOkResponse({ type: ThemeCountsDto })
  counts(@CurrentUser() actor: AuthUser, @Query() query: ThemeCountsQueryDto): Promise<ThemeCountsDto> {
    return this.themes.counts(actor, query);
  }

  // Runs the tagger the reports use on any text (up to 100 texts of 2,000 characters).
  @Post('analyze')
  @Roles('manager', 'admin')
  @HttpCode(200)
  @ApiOkResponse({ type: AnalyzeCommentsResultDto })
  analyze(@Body() body: AnalyzeCommentsDto): AnalyzeCommentsResultDto {
    return this.themes.analyze(body.texts);
  }

  // A manager's correction of one comment's themes, kept: the id is a survey response's or a case's.
  @Put(':id')
  @Roles('manager', 'admin')
  @ApiOkResponse({ type: CorrectedThemesDto })
  correct(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: CorrectThemesDto,
  ): Promise<CorrectedThemesDto> {
    return this.themes.correct(actor, id, body.themes);
  }
}
