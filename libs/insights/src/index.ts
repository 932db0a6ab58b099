export * from './insights.module';
export * from './insights.service';
export * from './dto/insights.dto';
export * from './churn-risk';
