import { Result } from 'antd';

// Placeholder until this page is built.
export default function ClientsPage() {
  return <Result status="info" title="ClientsPage" />;
}
