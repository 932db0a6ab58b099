import { useQuery } from '@tanstack/react-query';
import { Button, DatePicker, Flex, Segmented, Space, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { POLARITY_COLORS, surveyKeys, surveysApi, ThemeCount, ThemeGroup, ThemeQuote } from '../../api/surveys';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PhoneCard, PhoneList } from '../../components/PhoneCard';
import { dayjs, formatDate, TZ } from '../../lib/format';
import { CommentToCorrect, CorrectThemesModal } from './CorrectThemesModal';

// 评论主题: what the clients' comments of a period speak of, by theme (and butler or team), the
// complaints first, with two quotes each; a quote's themes can be corrected where it is read.
export default function CommentThemesPage() {
  const { t } = useTranslation('surveys');
  const { t: tc } = useTranslation();
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => {
    const today = dayjs().tz(TZ);
    return [today.subtract(29, 'day'), today];
  });
  const [groupBy, setGroupBy] = useState<ThemeGroup>('none');
  const query = { from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD'), groupBy };
  const report = useQuery({ queryKey: surveyKeys.themes(query), queryFn: () => surveysApi.themes(query) });
  const [correcting, setCorrecting] = useState<CommentToCorrect | null>(null);
  // The most complained-about first, then the most spoken-of.
  const items = [...(report.data?.items ?? [])].sort((a, b) => b.negative - a.negative || b.total - a.total);

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('commentThemes.title')}
        </Typography.Title>
        <DatePicker.RangePicker
          aria-label={t('commentThemes.period')}
          allowClear={false}
          value={range}
          onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
          disabledDate={(d) => d.isAfter(dayjs().tz(TZ), 'day')}
        />
      </Flex>
      <Typography.Text type="secondary">{t('commentThemes.hint')}</Typography.Text>
      <Segmented<ThemeGroup>
        aria-label={t('commentThemes.groupBy')}
        value={groupBy}
        options={(['none', 'butler', 'team'] as const).map((g) => ({
          value: g,
          label: t(`commentThemes.groups.${g}`),
        }))}
        onChange={setGroupBy}
      />
      {report.isError ? (
        <ErrorAlert title={tc('loadFailed')} error={report.error} onRetry={() => report.refetch()} />
      ) : (
        <PhoneList<ThemeCount>
          items={items}
          loading={report.isPending}
          empty={t('commentThemes.empty')}
          rowKey={(r) => `${r.groupId ?? 'all'}:${r.theme}`}
          render={(r) => (
            <ThemeCard
              r={r}
              groupBy={groupBy}
              onCorrect={(q) => setCorrecting({ id: q.sourceId, text: q.text, themes: q.themes })}
            />
          )}
        />
      )}
      <CorrectThemesModal comment={correcting} onClose={() => setCorrecting(null)} />
    </Space>
  );
}

function ThemeCard({ r, groupBy, onCorrect }: { r: ThemeCount; groupBy: ThemeGroup; onCorrect(q: ThemeQuote): void }) {
  const { t } = useTranslation('surveys');
  const responses = new URLSearchParams({ theme: r.theme });
  if (groupBy === 'butler' && r.groupId) responses.set('butlerId', r.groupId);
  return (
    <PhoneCard
      testId="theme-card"
      title={
        <>
          {t(`themes.${r.theme}`)}
          {r.groupName && (
            <Typography.Text type="secondary" style={{ fontWeight: 400 }}>
              {' '}
              · {r.groupName}
            </Typography.Text>
          )}
        </>
      }
      tags={<Tag style={{ marginInlineEnd: 0 }}>{t('commentThemes.total', { n: r.total })}</Tag>}
      actions={[
        <Link key="responses" to={`/manager/surveys?${responses.toString()}`}>
          {t('commentThemes.viewResponses')}
        </Link>,
      ]}
    >
      <Typography.Text>
        {t('commentThemes.counts', { negative: r.negative, positive: r.positive, neutral: r.neutral })}
      </Typography.Text>
      {r.quotes.length === 0 ? (
        <Typography.Paragraph type="secondary" style={{ margin: '6px 0 0' }}>
          {t('commentThemes.noQuotes')}
        </Typography.Paragraph>
      ) : (
        <Flex vertical gap={6} style={{ marginTop: 6 }}>
          {r.quotes.map((q) => (
            <div
              key={q.sourceId}
              data-testid="theme-quote"
              style={{ borderInlineStart: '3px solid #eee', paddingInlineStart: 8 }}
            >
              <Typography.Text>“{q.text}”</Typography.Text>
              <Flex wrap gap={4} align="center" style={{ marginTop: 2 }}>
                <Tag color={POLARITY_COLORS[q.polarity]} style={{ marginInlineEnd: 0 }}>
                  {t(`polarities.${q.polarity}`)}
                </Tag>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t(`commentThemes.${q.source}`)} · {formatDate(q.at)}
                </Typography.Text>
                {q.corrected && <Tag style={{ marginInlineEnd: 0 }}>{t('commentThemes.corrected')}</Tag>}
                <Button
                  size="small"
                  type="link"
                  onClick={() => onCorrect(q)}
                  aria-label={`${t('responses.correct')}：${q.text}`}
                >
                  {t('responses.correct')}
                </Button>
              </Flex>
            </div>
          ))}
        </Flex>
      )}
    </PhoneCard>
  );
}
