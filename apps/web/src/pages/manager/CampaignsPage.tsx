import { Result } from 'antd';

// Placeholder until this page is built.
export default function CampaignsPage() {
  return <Result status="info" title="CampaignsPage" />;
}
