import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';

import { AuthUser, CurrentUser, Page, PageOf, PageQueryDto } from '@app/common';

import { ContactLogService } from './contact-log.service';
import { ContactDto, LogContactDto, LoggedContactDto } from './dto/contact.dto';

@ApiTags('customers')
@ApiBearerAuth()
@Controller('customers/:id/interactions')
export class ContactLogController {
  constructor(private readonly contacts: ContactLogService) {}

  // 记一笔.
  @Post()
  @ApiCreatedResponse({ type: LoggedContactDto })
  log(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: LogContactDto,
  ): Promise<LoggedContactDto> {
    return this.contacts.log(actor, id, dto);
  }

  @Get()
  @ApiOkResponse({ type: PageOf(ContactDto) })
  list(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<ContactDto>> {
    return this.contacts.list(actor, id, query);
  }
}
