import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';

import { UserDto } from '@app/users';

export class LoginDto {
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsEmail()
  @MaxLength(254)
  @ApiProperty({ type: String, format: 'email', maxLength: 254 })
  email!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @ApiProperty({ type: String, minLength: 1, maxLength: 200 })
  password!: string;
}

export class LoginResultDto {
  @ApiProperty()
  accessToken!: string;

  @ApiProperty({ enum: ['Bearer'] })
  tokenType!: 'Bearer';

  // Seconds until the token expires.
  @ApiProperty()
  expiresIn!: number;

  @ApiProperty({ type: () => UserDto })
  user!: UserDto;
}
