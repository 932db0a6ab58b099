import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';

import { AppError, AuthUser, CurrentUser, Roles } from '@app/common';

import { mapTodo, WecomSyncReportDto, WecomTodoDto } from './dto/wecom.dto';
import { WecomApiError, WecomUnreachableError } from './wecom-errors';
import { WecomSyncService } from './wecom-sync.service';
import { WecomTodoService } from './wecom-todo.service';

@ApiTags('wecom')
@ApiBearerAuth()
@Controller('wecom')
export class WecomController {
  constructor(
    private readonly todos: WecomTodoService,
    private readonly sync: WecomSyncService,
  ) {}

  // The caller's own 群发 tasks still to confirm (a butler's 今日 card).
  @Get('todo')
  @ApiOkResponse({ type: WecomTodoDto })
  async todo(@CurrentUser() actor: AuthUser): Promise<WecomTodoDto> {
    return mapTodo(await this.todos.unconfirmedOf(actor.id));
  }

  // 立即同步: the contact sync now, with its report.
  @Post('sync')
  @HttpCode(200)
  @Roles('admin')
  @ApiOkResponse({ type: WecomSyncReportDto })
  async syncNow(): Promise<WecomSyncReportDto> {
    try {
      return await this.sync.sync();
    } catch (error) {
      // WeCom refused the corp's token or did not answer: nothing to show but that.
      if (error instanceof WecomApiError || error instanceof WecomUnreachableError)
        throw new AppError('unavailable', error.message, {
          code: 'WECOM_UNAVAILABLE',
          errcode: error instanceof WecomApiError ? error.errcode : null,
          errmsg: error instanceof WecomApiError ? error.errmsg : error.reason,
        });
      throw error;
    }
  }
}
