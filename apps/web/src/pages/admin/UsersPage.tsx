import { Result } from 'antd';

// Placeholder until this page is built.
export default function UsersPage() {
  return <Result status="info" title="UsersPage" />;
}
