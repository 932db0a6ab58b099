import { Module } from '@nestjs/common';

// Metrics (RFM, churn risk) and recommendations for one client.
@Module({})
export class InsightsModule {}
