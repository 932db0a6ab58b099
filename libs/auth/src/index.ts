export * from './auth.module';
export * from './auth.service';
export * from './auth.guards';
export * from './dto/login.dto';
export * from './entities/sign-in.entity';
export * from './sign-ins';
