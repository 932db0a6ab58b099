import { Body, Controller, Delete, Get, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';

import { AuthUser, Clock, CurrentUser, Roles, shanghaiDay } from '@app/common';

import {
  HolidaysQueryDto,
  HolidayYearDto,
  HolidayYearParamDto,
  NextYearScheduleDto,
  PutHolidayScheduleDto,
} from './dto/holidays.dto';
import { HolidaysService, NextYearScheduleStatus } from './holidays.service';

@ApiTags('holidays')
@ApiBearerAuth()
@Controller('holidays')
export class HolidaysController {
  constructor(
    private readonly holidays: HolidaysService,
    private readonly clock: Clock,
  ) {}

  // The year's days off and make-up working days; the current year in Asia/Shanghai by default.
  @Get()
  @ApiOkResponse({ type: HolidayYearDto })
  list(@Query() query: HolidaysQueryDto): Promise<HolidayYearDto> {
    return this.holidays.year(query.year ?? Number(shanghaiDay(this.clock.now()).slice(0, 4)));
  }

  // Whether next year's 调休 schedule has been entered (the console's reminder from 1 November).
  @Get('next-year')
  @ApiOkResponse({ type: NextYearScheduleDto })
  nextYear(): Promise<NextYearScheduleStatus> {
    return this.holidays.nextYearStatus();
  }

  @Put(':year')
  @Roles('admin')
  @ApiOkResponse({ type: HolidayYearDto })
  put(
    @CurrentUser() actor: AuthUser,
    @Param() params: HolidayYearParamDto,
    @Body() dto: PutHolidayScheduleDto,
  ): Promise<HolidayYearDto> {
    return this.holidays.replace(params.year, dto.text, dto.source ?? '', actor.id);
  }

  @Delete(':year')
  @Roles('admin')
  @ApiOkResponse({ type: HolidayYearDto })
  clear(@CurrentUser() actor: AuthUser, @Param() params: HolidayYearParamDto): Promise<HolidayYearDto> {
    return this.holidays.clear(params.year, actor.id);
  }
}
