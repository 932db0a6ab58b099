export * from './entities/customer.entity';
export * from './entities/taste-profile.entity';
