import { Result } from 'antd';

// Placeholder until this page is built.
export default function ClientDetailPage() {
  return <Result status="info" title="ClientDetailPage" />;
}
