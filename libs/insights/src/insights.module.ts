import { Module } from '@nestjs/common';

import { CustomersModule } from '@app/customers';
import { SettingsModule } from '@app/settings';

import { InsightsController } from './insights.controller';
import { InsightsRepository } from './insights.repository';
import { InsightsService } from './insights.service';

// Metrics (RFM, churn risk) and recommendations for one client.
@Module({
  imports: [CustomersModule, SettingsModule],
  controllers: [InsightsController],
  providers: [InsightsService, InsightsRepository],
})
export class InsightsModule {}
