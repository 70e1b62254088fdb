/**
 * Routes with `:name` parameters, over REST and as a browser's GET: the page reads the
 * requested path and the decoded parameters; bad parameters are refused and change nothing.
 */
import { Injectable, Module } from '@nestjs/common';
import { Div, PageRenderer, PageRequest, PageRoute, PushpageModule, WebPage } from 'pushpage';
import { createTestingApp, PushpageApiError, TestingApp } from 'pushpage/testing';

const GREET = '/greet/:name/from/:town';

@Injectable()
@PageRoute(GREET)
class GreetFromPage implements PageRenderer<typeof GREET> {
  render(req: PageRequest<typeof GREET>): WebPage {
    const page = new WebPage({ title: 'Greeting' });
    new Div({ text: `Hello, ${req.params.name}!`, attrs: { id: 'greeting' }, parent: page });
    new Div({ text: req.params.town, attrs: { id: 'town' }, parent: page });
    new Div({ text: req.path, attrs: { id: 'path' }, parent: page });
    new Div({ text: req.route, attrs: { id: 'route' }, parent: page });
    return page;
  }
}

/** A literal route beside the parameterized one: it wins where both match. */
@Injectable()
@PageRoute('/greet/nobody/from/nowhere')
class NobodyPage implements PageRenderer {
  render(): WebPage {
    return new WebPage({ title: 'Nobody', text: 'nobody' });
  }
}

@Module({
  imports: [PushpageModule.forRoot({ pageRateLimit: 1000 })],
  providers: [GreetFromPage, NobodyPage],
})
class RouteParamsModule {}

describe('routes with parameters', () => {
  let testing: TestingApp;

  beforeAll(async () => {
    testing = await createTestingApp(RouteParamsModule);
  });
  afterAll(() => testing.close());

  it('gives the page the requested path and its decoded parameters over REST', async () => {
    const page = await testing.open('/greet/Ada%20Lovelace/from/London');
    expect(page.text('greeting')).toBe('Hello, Ada Lovelace!');
    expect(page.text('town')).toBe('London');
    expect(page.text('path')).toBe('/greet/Ada%20Lovelace/from/London');
    expect(page.text('route')).toBe(GREET);
  });

  it('keeps a hostile parameter as text', async () => {
    const name = '<img src=x onerror=alert(1)>';
    const page = await testing.open(`/greet/${encodeURIComponent(name)}/from/x`);
    expect(page.byId('greeting').props).toEqual({
      text: `Hello, ${name}!`,
      attrs: { id: 'greeting' },
    });
  });

  it('prefers a literal route to a route with parameters', async () => {
    const page = await testing.open('/greet/nobody/from/nowhere');
    expect(page.tree.props.text).toBe('nobody');
  });

  it('refuses a parameter that is badly encoded or too long, and an unknown path', async () => {
    await expect(testing.open('/greet/%E0%A4%A/from/x')).rejects.toMatchObject({
      status: 400,
      code: 'bad-request',
    });
    await expect(testing.open(`/greet/${'a'.repeat(201)}/from/x`)).rejects.toThrow(
      PushpageApiError,
    );
    await expect(testing.open('/greet/Ada')).rejects.toMatchObject({ status: 404 });
  });

  it('serves the same page to a browser’s GET, escaped in the shell', async () => {
    const res = await fetch(`${testing.url}/greet/%3C%2Fscript%3E/from/Paris`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Hello, \\u003c/script\\u003e!');
    expect(html).not.toContain('Hello, </script>');
    const bad = await fetch(`${testing.url}/greet/%E0%A4%A/from/x`);
    expect(bad.status).toBe(400); // Express refuses it before the page is asked
  });
});
