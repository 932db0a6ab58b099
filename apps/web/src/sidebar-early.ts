// WeCom's chat toolbar page starts finding its client before anything else loads: imported by the
// entry ahead of the router (whose first match starts loading the page's own chunks), so this small
// chunk's request leaves first. A chunk of its own: the login page's budget does not carry it.
if (window.location.pathname === '/wecom/sidebar')
  void import('./pages/wecom/identify').then(({ identify }) => identify().catch(() => undefined));

export {};
