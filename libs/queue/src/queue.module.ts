import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { QUEUES } from './queue.constants';
import { redisOptionsFromUrl } from './redis-options';

const queues = Object.values(QUEUES).map((name) => BullModule.registerQueue({ name }));

@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        connection: redisOptionsFromUrl(config.redis.REDIS_URL),
        prefix: config.redis.QUEUE_PREFIX,
      }),
    }),
    ...queues,
  ],
  exports: queues,
})
export class QueueModule {}
