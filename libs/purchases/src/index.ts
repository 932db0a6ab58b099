export * from './entities/purchase.entity';
export * from './purchases.module';
export * from './purchases.service';
export * from './dto/purchase.dto';
