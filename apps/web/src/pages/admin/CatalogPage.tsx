import { Result } from 'antd';

// Placeholder until this page is built.
export default function CatalogPage() {
  return <Result status="info" title="CatalogPage" />;
}
