import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';

import { AppConfig } from '@app/config';

import { LimitsRedis } from './limits-redis';
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
  providers: [LimitsRedis],
  exports: [...queues, LimitsRedis],
})
export class QueueModule {}
