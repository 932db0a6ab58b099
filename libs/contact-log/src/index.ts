export * from './contact-log.module';
export * from './dto/contact.dto';
