import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';

import { WecomGroupTaskEntity } from './entities/wecom-group-task.entity';

// The butler's side of 群发 tasks: what waits for them in the WeCom app.
@Injectable()
export class WecomTodoService {
  constructor(@InjectRepository(WecomGroupTaskEntity) private readonly tasks: Repository<WecomGroupTaskEntity>) {}

  // A butler's tasks still waiting for their confirmation, newest first.
  async unconfirmedOf(butlerId: string): Promise<WecomGroupTaskEntity[]> {
    return this.tasks.find({ where: { butlerId, status: 'unconfirmed' }, order: { createdAt: 'DESC' }, take: 50 });
  }
}
