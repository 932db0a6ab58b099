import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';

import { AuthUser, CurrentUser, Roles } from '@app/common';

import {
  CreateSurveyProgramDto,
  mapSurveyProgram,
  ProgramReportDto,
  RELATIONSHIP_QUESTION_LIST,
  ReportQueryDto,
  SamplePreviewDto,
  SurveyProgramDto,
  SurveyProgramListDto,
  UpdateSurveyProgramDto,
} from './dto/survey-program.dto';
import { SurveyProgramsService } from './survey-programs.service';

// Relationship survey programs (关系调查): docs/relationship-surveys.md.
@ApiTags('survey-programs')
@ApiBearerAuth()
@Controller('survey-programs')
@Roles('manager', 'admin')
export class SurveyProgramsController {
  constructor(private readonly programs: SurveyProgramsService) {}

  @Post()
  @ApiCreatedResponse({ type: SurveyProgramDto })
  async create(@CurrentUser() actor: AuthUser, @Body() dto: CreateSurveyProgramDto): Promise<SurveyProgramDto> {
    const program = await this.programs.create(actor, dto);
    return mapSurveyProgram(program, (await this.programs.progress([program])).get(program.id));
  }

  @Get()
  @ApiOkResponse({ type: SurveyProgramListDto })
  async list(@CurrentUser() actor: AuthUser): Promise<SurveyProgramListDto> {
    const programs = await this.programs.list(actor);
    const progress = await this.programs.progress(programs);
    return {
      items: programs.map((p) => mapSurveyProgram(p, progress.get(p.id))),
      questions: RELATIONSHIP_QUESTION_LIST,
    };
  }

  @Get(':id')
  @ApiOkResponse({ type: SurveyProgramDto })
  async get(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<SurveyProgramDto> {
    const program = await this.programs.get(actor, id);
    return mapSurveyProgram(program, (await this.programs.progress([program])).get(program.id));
  }

  @Patch(':id')
  @ApiOkResponse({ type: SurveyProgramDto })
  async update(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateSurveyProgramDto,
  ): Promise<SurveyProgramDto> {
    const program = await this.programs.update(actor, id, dto);
    return mapSurveyProgram(program, (await this.programs.progress([program])).get(program.id));
  }

  @Post(':id/start')
  @HttpCode(200)
  @ApiOkResponse({ type: SurveyProgramDto })
  async start(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<SurveyProgramDto> {
    const program = await this.programs.start(actor, id);
    return mapSurveyProgram(program, (await this.programs.progress([program])).get(program.id));
  }

  @Post(':id/pause')
  @HttpCode(200)
  @ApiOkResponse({ type: SurveyProgramDto })
  async pause(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<SurveyProgramDto> {
    const program = await this.programs.pause(actor, id);
    return mapSurveyProgram(program, (await this.programs.progress([program])).get(program.id));
  }

  // Before starting: how many clients of each tier the sample asks this year.
  @Get(':id/sample-preview')
  @ApiOkResponse({ type: SamplePreviewDto })
  preview(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<SamplePreviewDto> {
    return this.programs.preview(actor, id);
  }

  // rNPS, the five P−E gaps and the comparison with other brands, in all and per tier (n < 5 withheld).
  @Get(':id/report')
  @ApiOkResponse({ type: ProgramReportDto })
  report(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: ReportQueryDto,
  ): Promise<ProgramReportDto> {
    return this.programs.report(actor, id, query.cycle);
  }
}
