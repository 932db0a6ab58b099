export * from './calendar';
export * from './festivals';
export * from './calendar.module';
export * from './birthdays';
export * from './holidays';
export * from './holidays.service';
export * from './dto/festivals.dto';
