import { Grid } from 'antd';

// Below Ant Design's md breakpoint (768 px) lists render as cards; at 768 px and up the desktop
// tables stay. Before the first measurement the desktop layout is assumed.
export function useIsPhone(): boolean {
  return Grid.useBreakpoint().md === false;
}
