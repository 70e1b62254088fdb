import {
  faviconProblem,
  inAppUrlProblem,
  metaNameProblem,
  navigationUrlProblem,
  stylesheetProblem,
} from '../../libs/pushpage/src/safe-urls';

describe('the URLs client actions may carry', () => {
  it.each([
    '/clock',
    '/a/b?x=1#y',
    '?tab=2',
    '#top',
    'https://example.com',
    'http://example.com:8000/x',
  ])('lets a tab go to %s', (url) => expect(navigationUrlProblem(url)).toBeNull());

  it.each([
    ['javascript:alert(1)', /javascript: scheme is not allowed/],
    ['JavaScript:alert(1)', /javascript: scheme/],
    ['data:text/html,x', /data: scheme/],
    ['vbscript:x', /vbscript: scheme/],
    ['//evil.example/', /path from the root/],
    ['/\\evil.example/', /backslashes/],
    [' /clock', /spaces/],
    ['/a\nb', /control characters/],
    ['clock', /path from the root/],
    ['https:///x', /must name a host/],
    ['', /non-empty/],
    [`/${'x'.repeat(3000)}`, /longer than/],
  ])('refuses to send a tab to %j', (url, why) => expect(navigationUrlProblem(url)).toMatch(why));

  it('keeps a tab’s own address in the app', () => {
    expect(inAppUrlProblem('/actions?from=handler')).toBeNull();
    expect(inAppUrlProblem('?q=1')).toBeNull();
    expect(inAppUrlProblem('https://example.com/')).toMatch(/stay in the app/);
    expect(inAppUrlProblem('//example.com/')).toMatch(/stay in the app/);
  });

  it('allows favicons from the app, http(s) or base64 images', () => {
    expect(faviconProblem('/favicon.ico')).toBeNull();
    expect(faviconProblem('https://example.com/i.png')).toBeNull();
    expect(faviconProblem('data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=')).toBeNull();
    expect(faviconProblem('data:text/html;base64,PHNjcmlwdD4=')).toMatch(/data: scheme/);
    expect(faviconProblem('?x')).toMatch(/path or a URL/);
  });

  it('allows style sheets of the app only, and descriptive meta names', () => {
    expect(stylesheetProblem('/app/theme.css')).toBeNull();
    expect(stylesheetProblem('https://cdn.example/x.css')).toMatch(/own origin/);
    expect(metaNameProblem('description')).toBeNull();
    expect(metaNameProblem('og:title')).toBeNull();
    expect(metaNameProblem('referrer')).toMatch(/not allowed/);
    expect(metaNameProblem('a b')).toMatch(/letters/);
  });
});
