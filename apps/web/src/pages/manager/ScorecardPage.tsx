import { Result } from 'antd';

// Placeholder until this page is built.
export default function ScorecardPage() {
  return <Result status="info" title="ScorecardPage" />;
}
