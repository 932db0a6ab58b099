import { Module } from '@nestjs/common';

import { CoreModule, WorkerFeaturesModule } from '@app/runtime';

@Module({
  imports: [CoreModule, WorkerFeaturesModule],
})
export class WorkerModule {}
