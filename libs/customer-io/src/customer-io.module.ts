import { Module } from '@nestjs/common';

// CSV import and export of clients.
@Module({})
export class CustomerIoModule {}
