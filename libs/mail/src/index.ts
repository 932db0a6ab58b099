export * from './mail.module';
export * from './outbox.service';
export * from './mail-sender.service';
export * from './mail-transport.service';
export * from './outbox-reconciler.service';
export * from './entities/message.entity';
export * from './templates';
export { MessageDto } from './dto/test-email.dto';
