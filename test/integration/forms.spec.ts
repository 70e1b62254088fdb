/**
 * The demo's sign-up form and bound page over the REST API, in this process: a submit
 * delivers the form's values (a checkbox's checked state included), a bound field changes
 * its target with no handler, and a refused value changes nothing.
 */
import { DemoApp } from '../support/demo-app';
import { openTestPage, TestPage } from 'pushpage/testing';

describe('forms over REST', () => {
  let app: DemoApp;

  beforeAll(async () => {
    app = await DemoApp.start();
  }, 30_000);
  afterAll(() => app?.stop());

  async function submit(page: TestPage): Promise<string[]> {
    await page.send('signup', 'submit');
    return page.all((node) => node.tag === 'li').map((node) => String(node.props.text));
  }

  it('checks the submitted values on the server and says what is missing', async () => {
    const page = await openTestPage(app.url, '/form');
    expect(await submit(page)).toEqual([
      'Please give your name.',
      'Please give an e-mail address.',
      'Please choose a plan.',
      'Please accept the terms.',
    ]);
    await page.fill('name', 'Grace');
    expect(page.text('echo')).toBe('Grace'); // the binding, in the same commit
    await page.fill('email', 'grace@example.org');
    await page.fill('plan-free', true);
    await page.fill('terms', true);
    expect(await submit(page)).toEqual([]);
    expect(page.text('result')).toBe('Thanks, Grace: you are signed up.');
    await page.fill('terms', false);
    expect(await submit(page)).toEqual(['Please accept the terms.']);
  });

  it('takes typed values that travel with the submit', async () => {
    const page = await openTestPage(app.url, '/form');
    const id = (htmlId: string) => page.byId(htmlId).id;
    await page.send('signup', 'submit', {
      values: [
        { id: id('name'), value: 'Ada' },
        { id: id('email'), value: 'ada@example.org' },
        { id: id('plan-team'), value: true },
        { id: id('terms'), value: true },
      ],
    });
    expect(page.text('result')).toBe('Thanks, Ada: you are signed up.');
    expect(page.byId('plan-team').props.value).toBe(true);
  });

  it('refuses a text value for a checkbox and changes nothing', async () => {
    const page = await openTestPage(app.url, '/form');
    await expect(page.fill('terms', 'on')).rejects.toMatchObject({ status: 400 });
    await page.refresh();
    expect(page.byId('terms').props.value).toBeUndefined();
  });

  it('changes a bound shared page for every session, with no handler', async () => {
    const one = await openTestPage(app.url, '/bind');
    const two = await openTestPage(app.url, '/bind');
    const heading = `From REST ${Date.now()}`;
    await one.fill('field', heading);
    await two.waitFor((page) => page.text('heading') === heading);
    await one.fill('field', 'Type below');
  });
});
