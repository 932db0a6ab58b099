import { Result } from 'antd';

// Placeholder until this page is built.
export default function AssignPage() {
  return <Result status="info" title="AssignPage" />;
}
