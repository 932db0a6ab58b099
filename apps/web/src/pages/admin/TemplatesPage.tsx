import { Result } from 'antd';

// Placeholder until this page is built.
export default function TemplatesPage() {
  return <Result status="info" title="TemplatesPage" />;
}
