import { Result } from 'antd';

// Placeholder until this page is built.
export default function SettingsPage() {
  return <Result status="info" title="SettingsPage" />;
}
