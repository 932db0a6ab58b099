import { Module } from '@nestjs/common';

import { DemoOnStartService } from './demo-on-start.service';

@Module({ providers: [DemoOnStartService] })
export class DemoModule {}
