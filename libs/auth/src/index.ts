export * from './auth.module';
export * from './auth.service';
export * from './auth.guards';
export * from './dto/login.dto';
