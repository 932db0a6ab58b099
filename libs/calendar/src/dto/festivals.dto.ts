import { ApiProperty } from '@nestjs/swagger';

import { Festival, FESTIVAL_KEYS, FestivalKey } from '../festivals';

export class FestivalDto implements Festival {
  @ApiProperty({ enum: FESTIVAL_KEYS })
  key!: FestivalKey;

  @ApiProperty({ example: '中秋节' })
  name!: string;

  // The solar date that year.
  @ApiProperty({ example: '2027-09-15' })
  date!: string;

  // The calendar the festival is fixed in.
  @ApiProperty({ enum: ['solar', 'lunar'] })
  calendar!: 'solar' | 'lunar';
}

export class FestivalYearDto {
  @ApiProperty({ example: 2027 })
  year!: number;

  @ApiProperty({ type: () => FestivalDto, isArray: true })
  items!: FestivalDto[];
}
