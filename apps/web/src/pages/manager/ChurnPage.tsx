import { Result } from 'antd';

// Placeholder until this page is built.
export default function ChurnPage() {
  return <Result status="info" title="ChurnPage" />;
}
