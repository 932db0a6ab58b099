import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { AROMA_NAMES, AromaType } from '@app/catalog';
import { AppError, AuthUser, shanghaiDay } from '@app/common';
import { CustomerAccessService, salutation, TasteProfileEntity } from '@app/customers';
import { UserEntity } from '@app/users';

import { CreateTemplateDto, UpdateTemplateDto } from './dto/greetings.dto';
import { TemplateEntity } from './entities/template.entity';
import { greetedFestival } from './festival-timing';
import { renderGreeting, TemplateContext, templateFieldProblems } from './template-rules';

// By occasion and Shanghai day: a campaign renders the same festival for every client, and the
// lunar calendar's arithmetic was the largest share of the worker's CPU per message.
const festivals = new Map<string, NonNullable<TemplateContext['festival']>>();

export function festivalContext(occasion: string, sendAt: Date): NonNullable<TemplateContext['festival']> {
  if (occasion === 'birthday') return { name: '生日', date: '' };
  const day = shanghaiDay(sendAt);
  const key = `${occasion}:${day}`;
  let festival = festivals.get(key);
  if (!festival) {
    const found = greetedFestival(occasion, day);
    festival = found ? { name: found.name, date: found.date } : { name: '', date: '' };
    if (festivals.size >= 1_000) festivals.clear();
    festivals.set(key, festival);
  }
  return { ...festival };
}

export function favoriteAromaName(aromas: { type: string; weight: number }[] | null | undefined): string {
  const top = [...(aromas ?? [])].sort((a, b) => b.weight - a.weight)[0];
  return top ? (AROMA_NAMES[top.type as AromaType] ?? '') : '';
}

@Injectable()
export class TemplatesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: CustomerAccessService,
  ) {}

  list(): Promise<TemplateEntity[]> {
    return this.dataSource.getRepository(TemplateEntity).find({ order: { occasion: 'ASC', name: 'ASC' } });
  }

  async get(id: string): Promise<TemplateEntity> {
    const template = await this.dataSource.getRepository(TemplateEntity).findOne({ where: { id } });
    if (!template) throw AppError.notFound('Template');
    return template;
  }

  async create(actor: AuthUser, dto: CreateTemplateDto): Promise<TemplateEntity> {
    this.check(dto.subject, dto.body);
    return this.dataSource.transaction(async (em) => {
      if (dto.isDefault)
        await em.update(TemplateEntity, { occasion: dto.occasion, isDefault: true }, { isDefault: false });
      return em.save(
        em.create(TemplateEntity, {
          ...dto,
          isDefault: dto.isDefault ?? false,
          active: dto.active ?? true,
          updatedBy: actor.id,
        }),
      );
    });
  }

  async update(actor: AuthUser, id: string, dto: UpdateTemplateDto): Promise<TemplateEntity> {
    const template = await this.get(id);
    this.check(dto.subject ?? template.subject, dto.body ?? template.body);
    return this.dataSource.transaction(async (em) => {
      if (dto.isDefault)
        await em.update(TemplateEntity, { occasion: template.occasion, isDefault: true }, { isDefault: false });
      Object.assign(template, dto, { updatedBy: actor.id });
      return em.save(template);
    });
  }

  // Rendered with a client the caller may see, or with a sample client and butler.
  async preview(actor: AuthUser, id: string, customerId?: string): Promise<{ subject: string; text: string }> {
    const template = await this.get(id);
    let context: TemplateContext = {
      customer: { name: '王建国', salutation: '王先生' },
      butler: { name: actor.name },
      festival: festivalContext(template.occasion, new Date()),
      favoriteAroma: '酱香',
      year: new Date().getFullYear(),
    };
    if (customerId) {
      const customer = await this.access.findVisible(actor, customerId);
      const butler = await this.dataSource.getRepository(UserEntity).findOne({ where: { id: customer.butlerId } });
      const profile = await this.dataSource.getRepository(TasteProfileEntity).findOne({ where: { customerId } });
      context = {
        ...context,
        customer: { name: customer.name, salutation: salutation(customer.name, customer.gender) },
        butler: { name: butler?.name ?? '' },
        favoriteAroma: favoriteAromaName(profile?.aromas),
      };
    }
    return { subject: renderGreeting(template.subject, context), text: renderGreeting(template.body, context) };
  }

  private check(subject: string, body: string): void {
    const problems = [...templateFieldProblems(subject, 'subject'), ...templateFieldProblems(body, 'body')];
    if (problems.length > 0) throw AppError.invalid(...problems);
  }
}
