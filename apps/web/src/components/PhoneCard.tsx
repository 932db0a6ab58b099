import { Card, Flex, Skeleton, Typography } from 'antd';
import type { ReactNode } from 'react';

// One row of a phone list, WeCom-style: who (title, tags on the right), a few facts, and a row of
// actions at the bottom that always fits 390 px. The main action comes first; extra actions
// (记一笔 …) are appended to `actions`.
export function PhoneCard({
  title,
  tags,
  children,
  actions,
  testId,
}: {
  title: ReactNode;
  tags?: ReactNode;
  children?: ReactNode;
  actions?: ReactNode[];
  testId?: string;
}) {
  const shown = (actions ?? []).filter(Boolean);
  return (
    <Card size="small" data-testid={testId} styles={{ body: { padding: 12 } }}>
      <Flex justify="space-between" align="flex-start" gap={8}>
        <div style={{ minWidth: 0, fontWeight: 600, fontSize: 15, overflowWrap: 'anywhere' }}>{title}</div>
        {tags && (
          <Flex gap={4} wrap justify="flex-end" style={{ flexShrink: 0, maxWidth: '50%' }}>
            {tags}
          </Flex>
        )}
      </Flex>
      {children && <div style={{ marginTop: 6, overflowWrap: 'anywhere' }}>{children}</div>}
      {shown.length > 0 && (
        <Flex gap={8} wrap justify="flex-end" style={{ marginTop: 10 }}>
          {shown}
        </Flex>
      )}
    </Card>
  );
}

// A phone list of cards, with a skeleton while the first page loads (never the empty text then).
// A plain stack, not antd's List (deprecated in antd 6) nor Listy (virtual scrolling a short list
// does not need).
export function PhoneList<T>({
  items,
  loading,
  empty,
  render,
  rowKey,
}: {
  items: readonly T[];
  loading: boolean;
  empty: ReactNode;
  render: (item: T) => ReactNode;
  rowKey: (item: T) => string;
}) {
  if (loading) return <Skeleton active paragraph={{ rows: 4 }} />;
  // A short line, not a picture: on a phone the next section stays in view.
  if (items.length === 0)
    return (
      <Typography.Paragraph type="secondary" style={{ textAlign: 'center', margin: '8px 0' }}>
        {empty}
      </Typography.Paragraph>
    );
  return (
    <Flex vertical gap={8} role="list">
      {items.map((item) => (
        <div role="listitem" key={rowKey(item)}>
          {render(item)}
        </div>
      ))}
    </Flex>
  );
}

// A fact on a card: a grey label and its value, on one line when it fits.
export function Fact({ label, children }: { label: ReactNode; children: ReactNode }) {
  return (
    <div style={{ fontSize: 13, lineHeight: '22px' }}>
      <span style={{ color: 'rgba(0,0,0,0.45)', marginRight: 6 }}>{label}</span>
      {children}
    </div>
  );
}
