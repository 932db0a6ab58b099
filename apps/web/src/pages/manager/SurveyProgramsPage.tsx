import { PauseCircleOutlined, PlayCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Collapse,
  Descriptions,
  Drawer,
  Empty,
  Flex,
  Form,
  Input,
  InputNumber,
  List,
  Modal,
  Progress,
  Radio,
  Row,
  Select,
  Skeleton,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
  type TableColumnsType,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import {
  CreateProgramBody,
  monthDay,
  percent,
  programKeys,
  programsApi,
  ProgramStatus,
  ReportGroup,
  signed,
  SurveyProgram,
  SurveyQuestion,
} from '../../api/survey-programs';
import { Tier, TIERS } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { apiErrorsToFields, errorText } from '../../components/formErrors';
import { useIsPhone } from '../../layout/useIsPhone';

const STATUS_COLORS: Record<ProgramStatus, string> = { draft: 'default', active: 'processing', paused: 'warning' };
const DIMENSIONS = ['reliability', 'responsiveness', 'assurance', 'empathy', 'tangibles'] as const;

// 关系调查: yearly surveys of the brand (rNPS, SERVQUAL gaps, other brands), apart from the scorecard.
export default function SurveyProgramsPage() {
  const { t } = useTranslation('manager');
  const [editing, setEditing] = useState<SurveyProgram | 'new' | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const list = useQuery({ queryKey: programKeys.list, queryFn: programsApi.list });
  const programs = list.data?.items ?? [];
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('programs.title')}
        </Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
          {t('programs.create')}
        </Button>
      </Flex>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('programs.intro')}
      </Typography.Paragraph>
      {list.isError && <ErrorAlert error={list.error} onRetry={() => list.refetch()} />}
      {list.isPending ? (
        <Skeleton active />
      ) : programs.length === 0 ? (
        <Empty description={t('programs.empty')} />
      ) : (
        <Row gutter={[12, 12]}>
          {programs.map((p) => (
            <Col xs={24} md={12} xl={8} key={p.id}>
              <ProgramCard program={p} onOpen={() => setOpenId(p.id)} />
            </Col>
          ))}
        </Row>
      )}
      {editing && (
        <ProgramForm
          program={editing === 'new' ? null : editing}
          questions={list.data?.questions ?? []}
          onClose={() => setEditing(null)}
          onSaved={(id) => {
            setEditing(null);
            setOpenId(id);
          }}
        />
      )}
      <ProgramDrawer id={openId} onClose={() => setOpenId(null)} onEdit={(p) => setEditing(p)} />
    </Space>
  );
}

function scheduleText(p: SurveyProgram, t: (key: string, o?: Record<string, unknown>) => string): string {
  return p.schedule.kind === 'window'
    ? t('programs.scheduleWindow', { start: monthDay(p.schedule.start), end: monthDay(p.schedule.end) })
    : t('programs.scheduleAnniversary');
}

function sampleText(p: SurveyProgram, t: (key: string, o?: Record<string, unknown>) => string): string {
  if (p.sampleMode === 'all') return t('programs.sampleAll');
  return p.sample.map((s) => `${t(`common:tiers.${s.tier}`)} ${percent(s.share)}`).join('、');
}

function ProgramCard({ program: p, onOpen }: { program: SurveyProgram; onOpen(): void }) {
  const { t } = useTranslation('manager');
  const progress = p.progress;
  return (
    <Card
      size="small"
      hoverable
      onClick={onOpen}
      data-testid="program-card"
      title={
        <Flex justify="space-between" align="center" gap={8}>
          <span style={{ overflow: 'hidden', textOverflow: 'ellipsis' }}>{p.name}</span>
          <Tag color={STATUS_COLORS[p.status]}>{t(`programs.statuses.${p.status}`)}</Tag>
        </Flex>
      }
    >
      <Typography.Text type="secondary">
        {scheduleText(p, t)} · {sampleText(p, t)}
      </Typography.Text>
      {progress && progress.invited > 0 ? (
        <Row gutter={8} style={{ marginTop: 8 }}>
          <Col span={8}>
            <Statistic title={t('programs.progress.invited')} value={progress.invited} />
          </Col>
          <Col span={8}>
            <Statistic title={t('programs.progress.responded')} value={progress.responded} />
          </Col>
          <Col span={8}>
            <Statistic title={t('programs.progress.rate')} value={percent(progress.responseRate)} />
          </Col>
        </Row>
      ) : (
        <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }}>
          {t('programs.notYet')}
        </Typography.Paragraph>
      )}
    </Card>
  );
}

interface Values {
  name: string;
  scheduleKind: 'window' | 'anniversary';
  start?: string;
  end?: string;
  sampleMode: 'all' | 'tiers';
  shares: Partial<Record<Tier, number | null>>;
  reminderAfterDays: number;
  expiryDays: number;
  brands: string[];
}

function ProgramForm({
  program,
  questions,
  onClose,
  onSaved,
}: {
  program: SurveyProgram | null;
  questions: SurveyQuestion[];
  onClose(): void;
  onSaved(id: string): void;
}) {
  const { t } = useTranslation('manager');
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const scheduleKind = Form.useWatch('scheduleKind', form);
  const sampleMode = Form.useWatch('sampleMode', form);
  const initial: Values = program
    ? {
        name: program.name,
        scheduleKind: program.schedule.kind,
        start: program.schedule.start,
        end: program.schedule.end,
        sampleMode: program.sampleMode,
        shares: Object.fromEntries(program.sample.map((s) => [s.tier, Math.round(s.share * 100)])),
        reminderAfterDays: program.reminderAfterDays,
        expiryDays: program.expiryDays,
        brands: program.brands,
      }
    : {
        name: '',
        scheduleKind: 'window',
        start: '11-01',
        end: '11-30',
        sampleMode: 'all',
        shares: { regular: 20, silver: 50, gold: 100, black: 100 },
        reminderAfterDays: 7,
        expiryDays: 21,
        brands: ['茅台', '五粮液', '泸州老窖', '洋河', '汾酒'],
      };
  const save = useMutation({
    mutationFn: (v: Values) => {
      const body: CreateProgramBody = {
        name: v.name,
        schedule:
          v.scheduleKind === 'window' ? { kind: 'window', start: v.start, end: v.end } : { kind: 'anniversary' },
        sample:
          v.sampleMode === 'all'
            ? { mode: 'all' }
            : {
                mode: 'tiers',
                tiers: TIERS.filter((tier) => (v.shares[tier] ?? 0) > 0).map((tier) => ({
                  tier,
                  share: (v.shares[tier] ?? 0) / 100,
                })),
              },
        reminderAfterDays: v.reminderAfterDays,
        expiryDays: v.expiryDays,
        brands: v.brands,
      };
      return program ? programsApi.update(program.id, body) : programsApi.create(body);
    },
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: programKeys.all });
      void message.success(t('programs.saved'));
      onSaved(saved.id);
    },
    onError: (error) => {
      const { fields, rest } = apiErrorsToFields(error, (f) => {
        if (f === 'schedule.start') return ['start'];
        if (f === 'schedule.end') return ['end'];
        if (f.startsWith('sample')) return ['sampleMode'];
        if (f.startsWith('brands')) return ['brands'];
        return ['name', 'reminderAfterDays', 'expiryDays'].includes(f) ? [f] : null;
      });
      form.setFields(fields.map((p) => ({ name: (p.name as string[])[0] as keyof Values, errors: p.errors })));
      if (rest.length) void message.error(rest.join('；'));
    },
  });
  return (
    <Modal
      open
      width={720}
      title={program ? t('programs.edit') : t('programs.create')}
      onCancel={onClose}
      okText={t('programs.saveDraft')}
      cancelText={t('programs.cancel')}
      confirmLoading={save.isPending}
      onOk={() =>
        void form
          .validateFields()
          .then(() => save.mutate(form.getFieldsValue(true) as Values))
          .catch(() => undefined)
      }
    >
      <Form form={form} layout="vertical" initialValues={initial}>
        <Form.Item name="name" label={t('programs.fields.name')} rules={[{ required: true, max: 100 }]}>
          <Input placeholder={t('programs.namePlaceholder')} maxLength={100} />
        </Form.Item>
        <Form.Item name="scheduleKind" label={t('programs.fields.schedule')}>
          <Radio.Group
            options={[
              { value: 'window', label: t('programs.windowOption') },
              { value: 'anniversary', label: t('programs.anniversaryOption') },
            ]}
          />
        </Form.Item>
        {scheduleKind !== 'anniversary' && (
          <Space wrap>
            <Form.Item
              name="start"
              label={t('programs.fields.start')}
              rules={[{ required: true, pattern: /^\d\d-\d\d$/, message: t('programs.monthDayHint') }]}
            >
              <Input placeholder="11-01" style={{ width: 120 }} />
            </Form.Item>
            <Form.Item
              name="end"
              label={t('programs.fields.end')}
              rules={[{ required: true, pattern: /^\d\d-\d\d$/, message: t('programs.monthDayHint') }]}
            >
              <Input placeholder="11-30" style={{ width: 120 }} />
            </Form.Item>
          </Space>
        )}
        <Form.Item name="sampleMode" label={t('programs.fields.sample')} extra={t('programs.sampleHelp')}>
          <Radio.Group
            options={[
              { value: 'all', label: t('programs.sampleAll') },
              { value: 'tiers', label: t('programs.sampleTiers') },
            ]}
          />
        </Form.Item>
        {sampleMode === 'tiers' && (
          <Space wrap style={{ marginBottom: 16 }}>
            {TIERS.map((tier) => (
              <Form.Item key={tier} name={['shares', tier]} label={t(`common:tiers.${tier}`)} style={{ margin: 0 }}>
                <InputNumber min={0} max={100} suffix="%" style={{ width: 110 }} />
              </Form.Item>
            ))}
          </Space>
        )}
        <Space wrap>
          <Form.Item name="reminderAfterDays" label={t('programs.fields.reminder')} rules={[{ required: true }]}>
            <InputNumber min={1} max={30} suffix={t('programs.days')} style={{ width: 130 }} />
          </Form.Item>
          <Form.Item name="expiryDays" label={t('programs.fields.expiry')} rules={[{ required: true }]}>
            <InputNumber min={3} max={60} suffix={t('programs.days')} style={{ width: 130 }} />
          </Form.Item>
        </Space>
        <Form.Item name="brands" label={t('programs.fields.brands')} extra={t('programs.brandsHelp')}>
          <Select mode="tags" tokenSeparators={[',', '，', '、']} maxCount={20} open={false} />
        </Form.Item>
      </Form>
      <Collapse
        size="small"
        items={[
          {
            key: 'questions',
            label: t('programs.questionsPreview', { n: questions.length }),
            children: <QuestionList questions={questions} />,
          },
        ]}
      />
    </Modal>
  );
}

function QuestionList({ questions }: { questions: SurveyQuestion[] }) {
  const { t } = useTranslation('manager');
  return (
    <List
      size="small"
      dataSource={questions}
      renderItem={(q, i) => (
        <List.Item>
          <Space orientation="vertical" size={2}>
            <Typography.Text>
              {i + 1}. {q.text}
              {q.required && <Typography.Text type="danger"> *</Typography.Text>}
            </Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {q.range ? t('programs.scale', { min: q.range[0], max: q.range[1] }) : ''}
              {q.options?.length ? ` ${q.options.join(' / ')}` : ''}
            </Typography.Text>
          </Space>
        </List.Item>
      )}
    />
  );
}

function ProgramDrawer({
  id,
  onClose,
  onEdit,
}: {
  id: string | null;
  onClose(): void;
  onEdit(p: SurveyProgram): void;
}) {
  const { t } = useTranslation('manager');
  const { message } = App.useApp();
  const phone = useIsPhone();
  const queryClient = useQueryClient();
  const [cycle, setCycle] = useState<number | undefined>();
  const program = useQuery({
    queryKey: programKeys.detail(id ?? ''),
    queryFn: () => programsApi.get(id!),
    enabled: !!id,
  });
  const preview = useQuery({
    queryKey: programKeys.preview(id ?? ''),
    queryFn: () => programsApi.preview(id!),
    enabled: !!id && program.data?.status !== 'active',
  });
  const report = useQuery({
    queryKey: programKeys.report(id ?? '', cycle),
    queryFn: () => programsApi.report(id!, cycle),
    enabled: !!id,
  });
  const act = useMutation({
    mutationFn: (action: 'start' | 'pause') => (action === 'start' ? programsApi.start(id!) : programsApi.pause(id!)),
    onSuccess: (p) => {
      void queryClient.invalidateQueries({ queryKey: programKeys.all });
      void message.success(t(p.status === 'active' ? 'programs.started' : 'programs.paused'));
    },
    onError: (error) => void message.error(errorText(error)),
  });
  const p = program.data;
  const progress = p?.progress;
  return (
    <Drawer
      open={!!id}
      onClose={() => {
        setCycle(undefined);
        onClose();
      }}
      size={phone ? '100%' : 720}
      title={p?.name ?? t('programs.title')}
      extra={
        p && (
          <Space>
            {p.status !== 'active' && (
              <Button onClick={() => onEdit(p)} data-testid="program-edit">
                {t('programs.editShort')}
              </Button>
            )}
            {p.status === 'active' ? (
              <Button icon={<PauseCircleOutlined />} loading={act.isPending} onClick={() => act.mutate('pause')}>
                {t('programs.pause')}
              </Button>
            ) : (
              <Button
                type="primary"
                icon={<PlayCircleOutlined />}
                loading={act.isPending}
                onClick={() => act.mutate('start')}
              >
                {t('programs.start')}
              </Button>
            )}
          </Space>
        )
      }
    >
      {program.isError && <ErrorAlert error={program.error} onRetry={() => program.refetch()} />}
      {!p ? (
        <Skeleton active />
      ) : (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label={t('programs.fields.status')}>
              <Tag color={STATUS_COLORS[p.status]}>{t(`programs.statuses.${p.status}`)}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('programs.fields.schedule')}>{scheduleText(p, t)}</Descriptions.Item>
            <Descriptions.Item label={t('programs.fields.sample')}>{sampleText(p, t)}</Descriptions.Item>
            <Descriptions.Item label={t('programs.fields.reminder')}>
              {t('programs.reminderText', { days: p.reminderAfterDays, expiry: p.expiryDays })}
            </Descriptions.Item>
            <Descriptions.Item label={t('programs.fields.brands')}>{p.brands.join('、') || '—'}</Descriptions.Item>
          </Descriptions>
          {p.status !== 'active' && preview.data && (
            <Alert
              type="info"
              showIcon
              title={t('programs.previewTitle', { year: preview.data.cycle })}
              description={preview.data.tiers
                .map((x) =>
                  t('programs.previewTier', { tier: t(`common:tiers.${x.tier}`), n: x.sampled, of: x.clients }),
                )
                .join('；')}
            />
          )}
          <Typography.Title level={5} style={{ margin: 0 }}>
            {progress?.cycle ? t('programs.progressTitle', { cycle: progress.cycle }) : t('programs.progressNone')}
          </Typography.Title>
          {progress && progress.invited > 0 ? (
            <>
              <Progress
                percent={Math.round(((progress.sent + progress.skipped) / progress.invited) * 100)}
                success={{ percent: Math.round((progress.responded / progress.invited) * 100) }}
                format={() => percent(progress.responseRate)}
              />
              <Row gutter={[8, 8]}>
                {(['invited', 'sent', 'responded', 'reminded', 'pending', 'skipped'] as const).map((k) => (
                  <Col xs={8} key={k}>
                    <Statistic title={t(`programs.progress.${k}`)} value={progress[k]} />
                  </Col>
                ))}
              </Row>
              {Object.keys(progress.skipReasons).length > 0 && (
                <Typography.Text type="secondary">
                  {t('programs.skippedBecause')}
                  {Object.entries(progress.skipReasons)
                    .map(([r, n]) => `${t(`programs.skipReasons.${r}`, { defaultValue: r })} ${n}`)
                    .join('、')}
                </Typography.Text>
              )}
            </>
          ) : (
            <Typography.Text type="secondary">{t('programs.notYet')}</Typography.Text>
          )}
          <Flex justify="space-between" align="center" wrap gap={8}>
            <Typography.Title level={5} style={{ margin: 0 }}>
              {t('programs.reportTitle')}
            </Typography.Title>
            {report.data && report.data.cycles.length > 1 && (
              <Select
                value={report.data.cycle ?? undefined}
                onChange={setCycle}
                options={report.data.cycles.map((c) => ({ value: c, label: t('programs.cycle', { cycle: c }) }))}
                style={{ width: 120 }}
              />
            )}
          </Flex>
          {report.isError && <ErrorAlert error={report.error} onRetry={() => report.refetch()} />}
          {report.data && report.data.groups.length === 0 && <Empty description={t('programs.noReport')} />}
          {report.data && report.data.groups.length > 0 && <Report groups={report.data.groups} />}
        </Space>
      )}
    </Drawer>
  );
}

const fixed = (x: number | null | undefined, digits = 2): string =>
  x === null || x === undefined ? '—' : x.toFixed(digits);

function Report({ groups }: { groups: ReportGroup[] }) {
  const { t } = useTranslation('manager');
  const tierName = (g: ReportGroup) => (g.tier ? t(`common:tiers.${g.tier}`) : t('programs.allTiers'));
  const insufficient = <Typography.Text type="secondary">{t('programs.insufficient')}</Typography.Text>;
  const columns: TableColumnsType<ReportGroup> = [
    { title: t('programs.report.tier'), key: 'tier', fixed: 'left', width: 72, render: (_, g) => tierName(g) },
    {
      title: t('programs.report.n'),
      key: 'n',
      width: 84,
      render: (_, g) => `${g.responses}/${g.sent}`,
    },
    { title: t('programs.report.rate'), key: 'rate', width: 72, render: (_, g) => percent(g.responseRate) },
    {
      title: 'rNPS',
      key: 'rnps',
      width: 72,
      render: (_, g) => (g.suppressed ? insufficient : g.rnps === null ? '—' : g.rnps.toFixed(1)),
    },
    ...(['satisfactionMean', 'qualityMean', 'valueMean', 'favourabilityMean'] as const).map((k) => ({
      title: t(`programs.report.${k}`),
      key: k,
      width: 80,
      render: (_: unknown, g: ReportGroup) => (g.suppressed ? '—' : fixed(g[k])),
    })),
  ];
  const gapColumns: TableColumnsType<ReportGroup> = [
    { title: t('programs.report.tier'), key: 'tier', fixed: 'left', width: 72, render: (_, g) => tierName(g) },
    ...DIMENSIONS.map((d) => ({
      title: t(`servqual.${d}`),
      key: d,
      width: 80,
      render: (_: unknown, g: ReportGroup) => {
        if (g.suppressed) return insufficient;
        const gap = g.gaps.find((x) => x.dimension === d);
        if (!gap || gap.gap === null) return '—';
        return (
          <Typography.Text
            type={gap.gap < 0 ? 'danger' : 'success'}
            title={`E ${fixed(gap.expectation)} · P ${fixed(gap.perception)} · n ${gap.n}`}
          >
            {signed(gap.gap)}
          </Typography.Text>
        );
      },
    })),
  ];
  const table = (cols: TableColumnsType<ReportGroup>, testId: string) => (
    <Table<ReportGroup>
      data-testid={testId}
      size="small"
      rowKey={(g) => g.tier ?? 'all'}
      columns={cols}
      dataSource={groups}
      pagination={false}
      scroll={{ x: 'max-content' }}
    />
  );
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      {table(columns, 'program-report')}
      <Typography.Text strong>{t('programs.gapsTitle')}</Typography.Text>
      <Typography.Text type="secondary">{t('programs.gapsHelp')}</Typography.Text>
      {table(gapColumns, 'program-gaps')}
      <Typography.Text strong>{t('programs.comparisonTitle')}</Typography.Text>
      <List
        data-testid="program-comparison"
        size="small"
        bordered
        dataSource={groups}
        renderItem={(g) => (
          <List.Item>
            <Space orientation="vertical" size={2} style={{ width: '100%' }}>
              <Typography.Text strong>{tierName(g)}</Typography.Text>
              {g.suppressed || !g.comparison ? (
                g.suppressed ? (
                  insufficient
                ) : (
                  '—'
                )
              ) : (
                <>
                  <Typography.Text>
                    {t('programs.comparisonLine', {
                      better: percent(g.comparison.better),
                      same: percent(g.comparison.same),
                      worse: percent(g.comparison.worse),
                    })}
                  </Typography.Text>
                  <Typography.Text type="secondary">
                    {g.brands
                      .slice(0, 5)
                      .map((b) => t('programs.brandLine', { brand: b.brand, n: b.n, better: b.better, worse: b.worse }))
                      .join('；')}
                  </Typography.Text>
                </>
              )}
            </Space>
          </List.Item>
        )}
      />
    </Space>
  );
}
