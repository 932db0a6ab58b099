import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';

import { AuthUser, CurrentUser, Page, PageOf } from '@app/common';
import { mapInvitationDecision } from '@app/surveys';

import { CasesService } from './cases.service';
import {
  CaseDto,
  CaseNoteBodyDto,
  CaseNoteDto,
  CreateCaseDto,
  ListCasesQueryDto,
  mapCase,
  mapCaseNote,
  TransitionCaseDto,
  UpdateCaseDto,
} from './dto/case.dto';

@ApiTags('after-sales')
@ApiBearerAuth()
@Controller('cases')
export class CasesController {
  constructor(private readonly cases: CasesService) {}

  @Post()
  @ApiCreatedResponse({ type: CaseDto })
  async create(@CurrentUser() actor: AuthUser, @Body() dto: CreateCaseDto): Promise<CaseDto> {
    return mapCase(await this.cases.create(actor, dto), []);
  }

  @Get()
  @ApiOkResponse({ type: PageOf(CaseDto) })
  list(@CurrentUser() actor: AuthUser, @Query() query: ListCasesQueryDto): Promise<Page<CaseDto>> {
    return this.cases.list(actor, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: CaseDto })
  async get(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<CaseDto> {
    const found = await this.cases.get(actor, id);
    return mapCase(found, await this.cases.notes(id));
  }

  @Patch(':id')
  @ApiOkResponse({ type: CaseDto })
  async update(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateCaseDto,
  ): Promise<CaseDto> {
    return mapCase(await this.cases.update(actor, id, dto), await this.cases.notes(id));
  }

  @Post(':id/notes')
  @ApiCreatedResponse({ type: CaseNoteDto })
  async addNote(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: CaseNoteBodyDto,
  ): Promise<CaseNoteDto> {
    return mapCaseNote(await this.cases.addNote(actor, id, dto.body));
  }

  @Post(':id/transition')
  @HttpCode(200)
  @ApiOkResponse({ type: CaseDto })
  async transition(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: TransitionCaseDto,
  ): Promise<CaseDto> {
    const result = await this.cases.transition(actor, id, dto);
    return {
      ...mapCase(result.case, await this.cases.notes(id)),
      ...(result.survey ? { survey: mapInvitationDecision(result.survey) } : {}),
    };
  }
}
