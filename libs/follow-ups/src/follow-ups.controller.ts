import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';

import { AuthUser, Clock, CurrentUser, Page, Roles } from '@app/common';
import { InvitationDecisionDto, mapInvitationDecision } from '@app/surveys';

import {
  CompleteFollowUpDto,
  CreateFollowUpDto,
  FollowUpDto,
  ListFollowUpsQueryDto,
  mapFollowUp,
  UpdateFollowUpDto,
} from './dto/follow-up.dto';
import { FollowUpsService } from './follow-ups.service';

@ApiTags('follow-ups')
@ApiBearerAuth()
@Controller('follow-ups')
export class FollowUpsController {
  constructor(
    private readonly followUps: FollowUpsService,
    private readonly clock: Clock,
  ) {}

  @Post()
  @Roles('manager', 'admin')
  async create(@CurrentUser() actor: AuthUser, @Body() dto: CreateFollowUpDto): Promise<FollowUpDto> {
    return mapFollowUp(await this.followUps.create(actor, dto), this.clock.now());
  }

  @Get()
  list(@CurrentUser() actor: AuthUser, @Query() query: ListFollowUpsQueryDto): Promise<Page<FollowUpDto>> {
    return this.followUps.list(actor, query);
  }

  @Get(':id')
  async get(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<FollowUpDto> {
    return mapFollowUp(await this.followUps.get(actor, id), this.clock.now());
  }

  // Reassign within the team, reschedule, or cancel.
  @Patch(':id')
  @Roles('manager', 'admin')
  async update(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateFollowUpDto,
  ): Promise<FollowUpDto> {
    return mapFollowUp(await this.followUps.update(actor, id, dto), this.clock.now());
  }

  @Post(':id/complete')
  @HttpCode(200)
  async complete(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: CompleteFollowUpDto,
  ): Promise<FollowUpDto & { survey: InvitationDecisionDto | null }> {
    const { followUp, survey } = await this.followUps.complete(actor, id, dto);
    return { ...mapFollowUp(followUp, this.clock.now()), survey: survey && mapInvitationDecision(survey) };
  }
}
