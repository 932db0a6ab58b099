import { Result } from 'antd';

// Placeholder until this page is built.
export default function ImportExportPage() {
  return <Result status="info" title="ImportExportPage" />;
}
