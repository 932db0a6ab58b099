import { Result } from 'antd';

// Placeholder until this page is built.
export default function TodayPage() {
  return <Result status="info" title="TodayPage" />;
}
