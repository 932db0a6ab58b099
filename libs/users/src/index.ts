export * from './users.module';
export * from './users.service';
export * from './users.repository';
export * from './entities/user.entity';
export * from './dto/user.dto';
export * from './password';
export * from './active-user-cache';
export * from './assignable-butler';
