import { Result } from 'antd';

// Placeholder until this page is built.
export default function CasesPage() {
  return <Result status="info" title="CasesPage" />;
}
